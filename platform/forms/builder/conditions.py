"""Conditions as a clerk picks them from lists ("<field> <is / is not / is answered / is at
least …> <value>"), compiled to the engine's JSON logic (`forms/logic.py`), and JSON logic read
back into such a condition where it has one of these shapes. A rule of another shape (written in
the expert view) is kept as it is and shown as "a condition set in the expert view"."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portalwerk.platform.forms.builder.values import iso_date, shown_date
from portalwerk.platform.forms.engine.specs import localize

OPERATORS = {
    "is": gettext_lazy("is"),
    "is_not": gettext_lazy("is not"),
    "answered": gettext_lazy("is answered"),
    "not_answered": gettext_lazy("is not answered"),
    "at_least": gettext_lazy("is at least"),
    "at_most": gettext_lazy("is at most"),
    "includes": gettext_lazy("includes"),
}
# A condition in words, as the end of "Shown only if …": German needs the verb at the end
# ("wenn die Antwort auf „X“ „Ja“ ist"), so each operator has its own sentence.
WORDS = {
    "is": gettext_lazy("the answer to “%(field)s” is “%(value)s”"),
    "is_not": gettext_lazy("the answer to “%(field)s” is not “%(value)s”"),
    "answered": gettext_lazy("“%(field)s” is answered"),
    "not_answered": gettext_lazy("“%(field)s” is not answered"),
    "at_least": gettext_lazy("the answer to “%(field)s” is at least “%(value)s”"),
    "at_most": gettext_lazy("the answer to “%(field)s” is at most “%(value)s”"),
    "includes": gettext_lazy("the answers to “%(field)s” include “%(value)s”"),
}
NO_VALUE = {"answered", "not_answered"}
_COMPARE = {"is": "==", "is_not": "!=", "at_least": ">=", "at_most": "<="}
_BY_OP = {v: k for k, v in _COMPARE.items()}
FLAG_TYPES = {"yesno", "declaration"}
CHOICE_TYPES = {"choice", "multichoice"}


@dataclass(frozen=True)
class Condition:
    field: str  # the key (path) of the field it reads
    op: str  # a key of OPERATORS
    value: Any = None  # typed for the field: bool for yes/no, a number for numbers


def compile_condition(c: Condition) -> dict:
    var = {"var": c.field}
    if c.op == "answered":
        return {"!!": var}
    if c.op == "not_answered":
        return {"!": var}
    if c.op == "includes":
        return {"in": [c.value, var]}
    return {_COMPARE[c.op]: [var, c.value]}


def read_condition(rule: Any) -> Condition | None:
    """The condition a rule is, or None when it is of another shape."""
    if not isinstance(rule, dict) or len(rule) != 1:
        return None
    op, args = next(iter(rule.items()))
    if op == "var" and isinstance(args, str):  # {"var": "has_dog"}: the answer is yes
        return Condition(args, "is", True)
    if op in ("!", "!!"):
        inner = args[0] if isinstance(args, list) and len(args) == 1 else args
        path = _var(inner)
        if path is not None:
            return Condition(path, "not_answered" if op == "!" else "answered")
        return None
    if not isinstance(args, list) or len(args) != 2:
        return None
    if op == "in":
        path = _var(args[1])
        if path is not None and not isinstance(args[0], (dict, list)):
            return Condition(path, "includes", args[0])
        return None
    if op in _BY_OP:
        path = _var(args[0])
        if path is not None and not isinstance(args[1], (dict, list)):
            return Condition(path, _BY_OP[op], args[1])
    return None


def _var(rule: Any) -> str | None:
    if isinstance(rule, dict) and set(rule) == {"var"}:
        path = rule["var"]
        if isinstance(path, list) and len(path) == 1:
            path = path[0]
        return path if isinstance(path, str) and path else None
    return None


def operators_for(field_def: dict) -> list[str]:
    kind = field_def.get("type")
    if kind in FLAG_TYPES or kind == "choice":
        return ["is", "is_not", "answered", "not_answered"]
    if kind == "multichoice":
        return ["includes", "answered", "not_answered"]
    if kind in ("number", "date"):
        return ["is", "is_not", "at_least", "at_most", "answered", "not_answered"]
    if kind == "repeat":
        return ["answered", "not_answered"]
    return ["is", "is_not", "answered", "not_answered"]


def value_choices(field_def: dict, lang: str | None = None) -> list[tuple[str, str]]:
    """(value as sent by the page, label) for a field whose answers are a list."""
    kind = field_def.get("type")
    if kind in FLAG_TYPES:
        return [("yes", _("Yes")), ("no", _("No"))]
    if kind in CHOICE_TYPES:
        return [
            (o["value"], localize(o.get("label") or o["value"], lang))
            for o in field_def.get("options") or []
            if isinstance(o, dict) and isinstance(o.get("value"), str)
        ]
    return []


def typed_value(field_def: dict, op: str, raw: str) -> tuple[Any, str | None]:
    """The value a page sent, typed for the field it is compared with; (None, message) when
    it does not fit."""
    if op in NO_VALUE:
        return None, None
    raw = (raw or "").strip()
    kind = field_def.get("type")
    if kind in FLAG_TYPES:
        if raw not in ("yes", "no"):
            return None, _("Choose yes or no as the value.")
        return raw == "yes", None
    if kind in CHOICE_TYPES:
        if raw not in {v for v, _label in value_choices(field_def)}:
            return None, _("Choose one of the field's options as the value.")
        return raw, None
    if not raw:
        return None, _("Enter the value to compare with.")
    if kind == "number" or op in ("at_least", "at_most"):
        if kind == "date":
            day = iso_date(raw)
            if day is None:
                return None, _("Enter the date as DD.MM.YYYY.")
            return day, None
        try:
            number = Decimal(raw.replace(" ", "").replace(",", "."))
        except InvalidOperation:
            return None, _("Enter a number as the value.")
        return (int(number) if number == number.to_integral_value() else float(number)), None
    if kind == "date":
        day = iso_date(raw)
        if day is None:
            return None, _("Enter the date as DD.MM.YYYY.")
        return day, None
    return raw, None


def shown_value(field_def: dict | None, value: Any, lang: str | None = None) -> str:
    """A condition's value as the page shows it (in words for lists, dates as DD.MM.YYYY)."""
    if field_def is None:
        return str(value)
    kind = field_def.get("type")
    if kind in FLAG_TYPES:
        return _("Yes") if value is True or value == "yes" else _("No")
    for v, label in value_choices(field_def, lang):
        if v == value:
            return label
    if kind == "date" and isinstance(value, str):
        return shown_date(value)
    if isinstance(value, float) and (lang or "de")[:2] == "de":
        return f"{value:g}".replace(".", ",")
    return str(value)


def input_value(field_def: dict | None, c: Condition) -> str:
    """A condition's value as its input shows it for editing."""
    if c.value is None:
        return ""
    if isinstance(c.value, bool):
        return "yes" if c.value else "no"
    if field_def is not None and field_def.get("type") == "date" and isinstance(c.value, str):
        return shown_date(c.value)
    return str(c.value)


def in_words(rule: Any, fields: dict[str, dict], lang: str | None = None) -> str:
    """A rule as a sentence part: "„Haben Sie einen Hund?“ ist Ja"; a rule of another shape:
    "a condition set in the expert view"."""
    c = read_condition(rule)
    if c is None:
        return _("a condition set in the expert view")
    field_def = fields.get(c.field)
    label = localize(field_def.get("label") or c.field, lang) if field_def else c.field
    value = "" if c.op in NO_VALUE else shown_value(field_def, c.value, lang)
    return str(WORDS[c.op]) % {"field": label, "value": value}
