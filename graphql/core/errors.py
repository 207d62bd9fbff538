"""Errors users can cause come back as values: `errors { field code message }` in the payload.

Each area has its own error type (`CaseworkError`, `PaymentError`, ...) whose `code` is an enum of
the codes its services raise, made by `error_type` from the domain's error-code enums. The enum
values are the services' codes verbatim (`not_found`, `slot_taken`), so a client sees the same
code from the HTML pages and from the API. `errors_from` is the one place where a django
ValidationError becomes a list of those errors; the mutation base (`core.mutations`) calls it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Collection, Iterable, Mapping
from enum import Enum

import strawberry
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from strawberry.utils.str_converters import to_camel_case

log = logging.getLogger(__name__)

# Codes every area can answer with: the codec's and the base's refusals, and Django's generic one.
COMMON_CODES = ("invalid", "not_found", "permission_denied")
FALLBACK_CODE = "invalid"


@strawberry.type
class ServiceError:
    field: str | None = strawberry.field(
        description="The argument or input field (camelCase, as sent) the error is about; for "
        "form answers the answer's path (`home.postcode`); null if none."
    )
    message: str = strawberry.field(description="A human-readable message in the user's language.")


def error_type(name: str, *code_sources: Iterable[Enum | str], codes: Iterable[str] = ()) -> type:
    """An area's error type `<name>` with the code enum `<name>Code`: the values of the domain
    enums in `code_sources`, `codes`, and COMMON_CODES."""
    values = sorted(
        {*COMMON_CODES, *codes, *(getattr(c, "value", c) for src in code_sources for c in src)}
    )
    code_enum = strawberry.enum(
        Enum(f"{name}Code", [(value, value) for value in values]),
        description=f"What went wrong, as a stable code ({name}).",
    )
    namespace = {
        "__annotations__": {"code": code_enum},
        "__module__": sys._getframe(1).f_globals.get("__name__", __name__),
        "code": strawberry.field(description="A stable, machine-readable error code."),
    }
    cls = strawberry.type(
        type(name, (ServiceError,), namespace),
        description="Something about the input that has to change before this can work.",
    )
    cls.Code = code_enum
    return cls


def make_error(error_cls: type, *, field: str | None, code: str, message: str):
    code_enum = error_cls.Code
    if code not in code_enum.__members__:
        # A code the area's enum lacks is a defect (add it to the enum); the user still gets
        # the message.
        log.error("error code %r missing from %s", code, code_enum.__name__)
        code = FALLBACK_CODE
    return error_cls(field=field, code=code_enum[code], message=message)


def errors_from(
    exc: ValidationError,
    error_cls: type,
    *,
    known: Collection[str] = (),
    fields: Mapping[str, str] | None = None,
    answer_paths: bool = False,
) -> list:
    """Turn a ValidationError into the area's errors.

    `fields` renames the service's field names to the mutation's Python argument names
    (`{"parent": "parent_slug"}`); names in `known` (arguments and input fields) come out in
    camelCase. Other names become `field: null`, or stay as they are with `answer_paths` (form
    answers: keys of the form definition).
    """
    renames = fields or {}
    items = exc.error_dict.items() if hasattr(exc, "error_dict") else [(None, exc.error_list)]
    errors = []
    for name, error_list in items:
        python_name = renames.get(name, name) if name else None
        if python_name is None or name == NON_FIELD_ERRORS:
            graphql_name = None
        elif python_name in known:
            graphql_name = to_camel_case(python_name)
        else:
            graphql_name = python_name if answer_paths else None
        for error in error_list:
            for message in error:  # a ValidationError iterates over its formatted messages
                errors.append(
                    make_error(
                        error_cls,
                        field=graphql_name,
                        code=str(error.code or FALLBACK_CODE),
                        message=message,
                    )
                )
    return errors
