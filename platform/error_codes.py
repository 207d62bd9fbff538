"""The one kind of error-code enum every app uses, and the ValidationError that carries a code.

Services raise `ValidationError`s with a code from their app's enum (DESIGN.md, "Errors users
can cause are values"); channels turn them into `errors { field code message }` or a form's error
summary. Each app keeps its own enum (`<app>/errors.py`), derived from `ErrorCode`."""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ValidationError

WHOLE_FORM = "__all__"


def code_error(code: str, message, field: str | None = WHOLE_FORM, **params) -> ValidationError:
    """`message` with `code`, on `field` (the whole form by default; `None`: no field at all)."""
    error = ValidationError(message, code=code, params=params or None)
    if field is None:
        return error
    return ValidationError({field: [error]})


class ErrorCode(StrEnum):
    """Members are plain strings on the wire (`"not_found"`), compared and serialised as such."""

    def error(self, message, field: str | None = WHOLE_FORM, **params) -> ValidationError:
        return code_error(self, message, field, **params)
