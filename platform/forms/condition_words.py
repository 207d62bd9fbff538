"""A condition of a definition (JSON logic, `forms.logic`) in words, for the differences shown
before publishing: “Do you have a dog?” is yes, “Valid for” is “5 years”, and “and”/“or” of
those. Conditions of another shape (arithmetic, counts, dates) have no words here: the caller
then says only that the condition changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from portalwerk.platform.forms.engine.specs import localize

COMPARISONS = {"==": "is", "===": "is", "!=": "is not", "!==": "is not"}


def in_words(rule: Any, fields: Mapping[str, Mapping], lang: str | None) -> str:
    """`rule` in words, with the labels of `fields` (key -> raw field); "" when it has none. The
    words are a clause that follows "if" (German puts its verb last: „Hund“ beantwortet ist)."""
    if not isinstance(rule, Mapping) or len(rule) != 1:
        return ""
    ((operator, args),) = rule.items()
    if operator == "var":
        field = _field(args, fields)
        return _yes(field, True, lang) if field else ""
    if operator == "!":
        inner = args[0] if isinstance(args, list) and len(args) == 1 else args
        field = _field(inner.get("var"), fields) if isinstance(inner, Mapping) else None
        return _yes(field, False, lang) if field is not None and set(inner) == {"var"} else ""
    if operator in COMPARISONS and isinstance(args, list) and len(args) == 2:
        left, right = args
        field = _field(left.get("var"), fields) if isinstance(left, Mapping) else None
        if field is None or isinstance(right, (Mapping, list)):
            return ""
        equal = COMPARISONS[operator] == "is"
        if isinstance(right, bool):
            return _yes(field, right == equal, lang)
        words = _("“%(field)s” is “%(value)s”") if equal else _("“%(field)s” is not “%(value)s”")
        return words % {"field": _label(field, lang), "value": _value(field, right, lang)}
    if operator in ("and", "or") and isinstance(args, list) and args:
        parts = [in_words(part, fields, lang) for part in args]
        if not all(parts):
            return ""
        joiner = _(" and ") if operator == "and" else _(" or ")
        return joiner.join(parts)
    return ""


def _yes(field: Mapping, yes: bool, lang) -> str:
    """A field that holds a truth: a yes/no question or a box is "answered yes"; any other is
    true when it has an answer at all."""
    if field.get("type") in ("yesno", "declaration"):
        words = _("“%(field)s” is answered yes") if yes else _("“%(field)s” is not answered yes")
    else:
        words = _("“%(field)s” is answered") if yes else _("“%(field)s” is not answered")
    return words % {"field": _label(field, lang)}


def _field(path: Any, fields: Mapping[str, Mapping]) -> Mapping | None:
    if isinstance(path, list) and path:
        path = path[0]
    if not isinstance(path, str):
        return None
    return fields.get(path.split(".")[0])


def _label(field: Mapping, lang) -> str:
    return localize(field.get("label") or field.get("key"), lang)


def _value(field: Mapping, value: Any, lang) -> str:
    """An option's label where the field has options, else the value itself."""
    for option in field.get("options") or []:
        if isinstance(option, Mapping) and option.get("value") == value:
            return localize(option.get("label", value), lang)
    return str(value)
