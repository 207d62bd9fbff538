"""Bounds on the raw answers anyone may send, checked before any field is cleaned: how many
values, how deeply nested, how long a text, and no NUL character (PostgreSQL cannot store one in
text or JSON). One error for the first problem found: a request of 50,000 keys costs one pass
over them, not 50,000 messages. Steps have at most a few dozen fields, so the limits are far
above any real form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from portalwerk.platform.forms.engine.specs import FieldError
from portalwerk.platform.forms.errors import FormErrorCode as Code

MAX_VALUES = 2_000  # every key, list item and value, at every level
MAX_DEPTH = 5  # answers → repeat list → item → address → text
MAX_TEXT = 20_000  # characters of one text (a textarea allows 4,000 unless the clerk says more)

#: codes of these bounds: an answer refused by them is never kept, not even as typed
CODES = frozenset({Code.INPUT_TOO_LARGE, Code.INVALID_CHARACTER})


def answers_problem(raw: Any) -> FieldError | None:
    """The first bound `raw` breaks, as one error at the path where it is; None if none."""
    if not isinstance(raw, Mapping):
        return None
    stack: list[tuple[Any, str, int]] = [(raw, "", 0)]
    seen = 0
    while stack:
        value, path, depth = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            return FieldError(
                "", Code.INPUT_TOO_LARGE, _("These answers are too many or too large.")
            )
        if isinstance(value, str):
            if "\x00" in value:
                return FieldError(
                    path,
                    Code.INVALID_CHARACTER,
                    _("Remove the invisible control character (NUL) from this answer."),
                )
            if len(value) > MAX_TEXT:
                return FieldError(
                    path,
                    Code.INPUT_TOO_LARGE,
                    _("This answer is longer than %(n)s characters.") % {"n": MAX_TEXT},
                )
            continue
        if not isinstance(value, Mapping | list):
            continue
        if depth >= MAX_DEPTH:
            return FieldError(path, Code.INPUT_TOO_LARGE, _("This answer is nested too deeply."))
        if len(value) > MAX_VALUES:
            return FieldError(
                "", Code.INPUT_TOO_LARGE, _("These answers are too many or too large.")
            )
        items = value.items() if isinstance(value, Mapping) else enumerate(value)
        for key, child in items:
            child_path = f"{path}.{key}" if path else str(key)
            if isinstance(key, str):
                stack.append((key, child_path, depth + 1))
            stack.append((child, child_path, depth + 1))
    return None
