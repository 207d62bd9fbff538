"""A field's properties as the builder's field page sends them (plain strings and lists),
checked and written into the field's definition. Problems are collected per input, so the page
shows each at its input; nothing is written unless all are fine."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portalwerk.platform.forms.builder import definition as d
from portalwerk.platform.forms.builder.values import date_bound, number, shown_date, shown_number
from portalwerk.platform.forms.engine.fieldtypes.repeat import MAX_ITEMS_CAP
from portalwerk.platform.forms.engine.specs import FILE_KINDS

MAX_LABEL = 300
MAX_TEXT = 4000
EXTRA_OPTION_ROWS = 3
TEXT_TYPES = {"text", "textarea", "email", "phone"}
PATTERN_TYPES = {"text", "textarea", "phone"}
CHOICE_TYPES = {"choice", "multichoice"}

TYPE_NAMES = {
    "text": gettext_lazy("Short text"),
    "textarea": gettext_lazy("Long text"),
    "email": gettext_lazy("Email address"),
    "phone": gettext_lazy("Phone number"),
    "number": gettext_lazy("Number"),
    "date": gettext_lazy("Date"),
    "choice": gettext_lazy("One answer from a list"),
    "multichoice": gettext_lazy("Several answers from a list"),
    "yesno": gettext_lazy("Yes or no"),
    "iban": gettext_lazy("IBAN (bank account)"),
    "postcode": gettext_lazy("Postcode"),
    "address": gettext_lazy("Postal address"),
    "file": gettext_lazy("File upload"),
    "info": gettext_lazy("Information text (asks nothing)"),
    "declaration": gettext_lazy("Declaration (a box to tick)"),
    "repeat": gettext_lazy("Repeating group (“add another”)"),
}


def type_name(kind: str) -> str:
    return str(TYPE_NAMES.get(kind, kind))


def texts(raw: Mapping, prefix: str) -> dict:
    """{"de": …, "en": …} from the inputs `<prefix>_de` and `<prefix>_en` (empty ones left out)."""
    out = {}
    for lang in ("de", "en"):
        value = " ".join(str(raw.get(f"{prefix}_{lang}") or "").split())
        if value:
            out[lang] = value
    return out


def long_texts(raw: Mapping, prefix: str) -> dict:
    out = {}
    for lang in ("de", "en"):
        value = str(raw.get(f"{prefix}_{lang}") or "").replace("\r\n", "\n").strip()
        if value:
            out[lang] = value
    return out


def new_field(kind: str, label: dict, key: str) -> dict:
    """A field of `kind` that the engine accepts as it is: a choice gets two options and a group
    one field to start with, which the clerk then changes."""
    f: dict[str, Any] = {"key": key, "type": kind, "label": label}
    if kind == "info":
        f = {"key": key, "type": kind, "text": label}
    elif kind in CHOICE_TYPES:
        f["options"] = [
            {"value": "option_1", "label": {"de": "Antwort 1", "en": "Answer 1"}},
            {"value": "option_2", "label": {"de": "Antwort 2", "en": "Answer 2"}},
        ]
    elif kind == "repeat":
        f["fields"] = [{"key": "entry", "type": "text", "label": {"de": "Eintrag", "en": "Entry"}}]
    return f


def _label_problem(label: dict) -> str | None:
    if not label.get("de"):
        return _("Enter the German wording.")
    if any(len(v) > MAX_LABEL for v in label.values()):
        return _("Use %(n)s characters or fewer.") % {"n": MAX_LABEL}
    return None


def label_problem(label: dict) -> str | None:
    return _label_problem(label)


def apply(definition: dict, path: str, raw: Mapping) -> tuple[str, dict[str, str]]:
    """Write the page's values into the field at `path`; (its path now, problems by input)."""
    f = d.field(definition, path)
    kind = f["type"]
    problems: dict[str, str] = {}
    if kind == "info":
        text = long_texts(raw, "text")
        if not text.get("de"):
            problems["text_de"] = _("Enter the German text.")
        elif any(len(v) > MAX_TEXT for v in text.values()):
            problems["text_de"] = _("Use %(n)s characters or fewer.") % {"n": MAX_TEXT}
        f["text"] = text
        f.pop("label", None)
    else:
        label = texts(raw, "label")
        problem = _label_problem(label)
        if problem:
            problems["label_de"] = problem
        f["label"] = label
        _set(f, "hint", texts(raw, "hint") or None)
        _set(f, "required", True if raw.get("required") else None)
    validation = dict(f.get("validation") or {})
    if kind in TEXT_TYPES:
        _lengths(validation, raw, problems)
    if kind in PATTERN_TYPES:
        _pattern(f, validation, raw, problems)
    if kind == "number":
        _number_range(validation, raw, problems)
    if kind == "date":
        _date_range(validation, raw, problems)
    if kind == "file":
        _file(f, validation, raw, problems)
    if kind in CHOICE_TYPES and not f.get("options_from"):
        _options(f, raw, problems)
    if kind == "repeat":
        _items(f, raw, problems)
    _set(f, "validation", validation or None)
    new_path = _rekey(definition, path, str(raw.get("key", "")).strip(), problems)
    return new_path, problems


def _set(f: dict, name: str, value: Any) -> None:
    if value is None:
        f.pop(name, None)
    else:
        f[name] = value


def _whole(raw: Mapping, name: str, problems: dict, minimum: int = 0) -> int | None:
    text = str(raw.get(name) or "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < minimum:
        problems[name] = _("Enter a whole number of %(n)s or more.") % {"n": minimum}
        return None
    return int(text)


def _lengths(validation: dict, raw: Mapping, problems: dict) -> None:
    low = _whole(raw, "min_length", problems, 1)
    high = _whole(raw, "max_length", problems, 1)
    if low is not None and high is not None and low > high:
        problems["min_length"] = _("The least length is larger than the greatest.")
    for name, value in (("min_length", low), ("max_length", high)):
        _set(validation, name, value)


def _pattern(f: dict, validation: dict, raw: Mapping, problems: dict) -> None:
    pattern = str(raw.get("pattern") or "").strip()
    if pattern:
        try:
            re.compile(pattern)
        except re.error:
            problems["pattern"] = _("This pattern is not a valid regular expression.")
    _set(validation, "pattern", pattern or None)
    message = texts(raw, "pattern_message")
    messages = dict(f.get("messages") or {})
    _set(messages, "pattern", message or None)
    _set(f, "messages", messages or None)


def _number_range(validation: dict, raw: Mapping, problems: dict) -> None:
    found = {}
    for name in ("min", "max"):
        text = str(raw.get(name) or "").strip()
        value = number(text)
        if text and value is None:
            problems[name] = _("Enter a number, like 10 or 2,5.")
        found[name] = value
        _set(validation, name, value)
    if found["min"] is not None and found["max"] is not None and found["min"] > found["max"]:
        problems["min"] = _("The smallest number is larger than the largest.")
    _set(validation, "integer", True if raw.get("integer") else None)


def _date_range(validation: dict, raw: Mapping, problems: dict) -> None:
    for name in ("after", "before"):
        text = str(raw.get(name) or "").strip()
        value = date_bound(text) if text else None
        if text and value is None:
            problems[name] = _("Enter a date as DD.MM.YYYY, or today, today-18y, today+30d.")
        _set(validation, name, value)


def _file(f: dict, validation: dict, raw: Mapping, problems: dict) -> None:
    chosen = raw.getlist("file_types") if hasattr(raw, "getlist") else raw.get("file_types")
    kinds = [k for k in sorted(FILE_KINDS) if k in set(chosen or [])]
    _set(validation, "file_types", kinds or None)
    text = str(raw.get("max_size_mb") or "").strip()
    size = number(text)
    if text and (size is None or size <= 0 or size > 100):
        problems["max_size_mb"] = _("Enter a size in MB between 0,1 and 100.")
        size = None
    _set(validation, "max_size", int(size * 1_000_000) if size else None)
    _set(f, "multiple", True if raw.get("multiple") else None)


def option_rows(f: dict, lang: str | None = None) -> list[dict]:
    """The option inputs of the field page: one row per option and a few empty ones."""
    rows = []
    for i, o in enumerate(f.get("options") or []):
        label = o.get("label") if isinstance(o.get("label"), dict) else {"de": o.get("label")}
        rows.append(
            {"n": i, "value": o.get("value", ""), "de": label.get("de") or "",
             "en": label.get("en") or ""}
        )  # fmt: skip
    start = len(rows)
    rows += [{"n": start + i, "value": "", "de": "", "en": ""} for i in range(EXTRA_OPTION_ROWS)]
    return rows


def _options(f: dict, raw: Mapping, problems: dict) -> None:
    try:
        count = min(int(raw.get("option_count") or 0), 200)
    except ValueError:
        count = 0
    options, values = [], set()
    for n in range(count):
        if raw.get(f"option_{n}_remove"):
            continue
        label = texts(raw, f"option_{n}")
        value = str(raw.get(f"option_{n}_value") or "").strip()
        if not label and not value:
            continue
        if not label.get("de"):
            problems[f"option_{n}_de"] = _("Enter the German wording of this option.")
            continue
        value = value or d.unique_key(d.slug_key(label["de"], "option"), values)
        if not d.valid_key(value):
            problems[f"option_{n}_value"] = _(
                "Use lower case letters, digits and _, starting with a letter."
            )
            continue
        if value in values:
            problems[f"option_{n}_value"] = _("Each option needs its own value.")
            continue
        values.add(value)
        options.append({"value": value, "label": label})
    if not options and not problems:
        problems["option_0_de"] = _("Give at least one option.")
    f["options"] = options


def _items(f: dict, raw: Mapping, problems: dict) -> None:
    low = _whole(raw, "min_items", problems, 0)
    high = _whole(raw, "max_items", problems, 1)
    if high is not None and high > MAX_ITEMS_CAP:
        problems["max_items"] = _("At most %(n)s entries are possible.") % {"n": MAX_ITEMS_CAP}
    if low is not None and high is not None and low > high:
        problems["min_items"] = _("The least number of entries is larger than the greatest.")
    _set(f, "min_items", low)
    _set(f, "max_items", high)


def _rekey(definition: dict, path: str, key: str, problems: dict) -> str:
    group, child = d.split(path)
    old = child or group
    if not key or key == old:
        return path
    if not d.valid_key(key):
        problems["key"] = _("Use lower case letters, digits and _, starting with a letter.")
        return path
    holder, index, parent = d.locate(definition, path)
    taken = (
        {c.get("key") for c in parent.get("fields") or []} if parent else d.field_keys(definition)
    )
    if key in taken:
        problems["key"] = _("Another question has this key already.")
        return path
    holder[index]["key"] = key
    d.rename_references(definition, path, key)
    return f"{group}.{key}" if child else key


def shown_validation(f: dict) -> dict[str, str]:
    """The field page's inputs for its validation, as they show the stored values."""
    v = f.get("validation") or {}
    messages = f.get("messages") or {}
    pattern_message = messages.get("pattern") if isinstance(messages.get("pattern"), dict) else {}

    def bound(name: str) -> str:
        value = v.get(name, "")
        return shown_date(value) if str(value)[:1].isdigit() else value

    return {
        "min_length": v.get("min_length", ""),
        "max_length": v.get("max_length", ""),
        "pattern": v.get("pattern", ""),
        "pattern_message_de": pattern_message.get("de", ""),
        "pattern_message_en": pattern_message.get("en", ""),
        "min": shown_number(v.get("min")),
        "max": shown_number(v.get("max")),
        "integer": bool(v.get("integer")),
        "after": bound("after"),
        "before": bound("before"),
        "file_types": v.get("file_types") or [],
        "max_size_mb": shown_number(v["max_size"] / 1_000_000) if v.get("max_size") else "",
    }
