"""Between the engine and HTML: reading a step's POST into raw values, and building what the
templates render (ids, names, values, errors) for each field of a step."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext

from portalwerk.platform.forms.engine.specs import ADDRESS_PARTS, FieldSpec, StepSpec, localize

ADDRESS_LABELS = {
    "street": {"de": "Straße", "en": "Street"},
    "house_number": {"de": "Hausnummer", "en": "House number"},
    "postcode": {"de": "Postleitzahl", "en": "Postcode"},
    "city": {"de": "Ort", "en": "Town or city"},
}
AUTOCOMPLETE = {
    "email": "email",
    "phone": "tel",
    "postcode": "postal-code",
    "first_name": "given-name",
    "last_name": "family-name",
    "date_of_birth": "bday",
    "street": "address-line1",
    "city": "address-level2",
}


def html_id(path: str) -> str:
    return "f-" + path.replace(".", "-")


def repeat_count(post: Mapping, field: FieldSpec, default: int) -> int:
    try:
        count = int(post.get(f"{field.key}-count", default))
    except (TypeError, ValueError):
        count = default
    return max(0, min(count, field.max_items))  # a tampered count is bounded by the definition


def read_post(
    step: StepSpec,
    post,
    files,
    current: Mapping[str, Any],
    store_file: Callable[[str, Any], str],
) -> dict[str, Any]:
    """A step's raw values from a POST (QueryDict). A file field without a new file keeps the
    file it had; a new file is stored first (and checked) by `store_file(path, file) -> id`."""

    def one(field: FieldSpec, name: str, existing: Any) -> Any:
        if field.type == "multichoice":
            return post.getlist(name)
        if field.type == "declaration":
            return post.get(name, "")
        if field.type == "address":
            return {part: post.get(f"{name}.{part}", "") for part in ADDRESS_PARTS}
        if field.type == "file":
            upload = files.get(name)
            if upload is not None:
                return store_file(name, upload)
            if post.get(f"{name}-remove"):
                return None
            return existing
        return post.get(name)

    raw: dict[str, Any] = {}
    for field in step.fields:
        if not field.has_value:
            continue
        existing = current.get(field.key)
        if field.type == "repeat":
            old_items = existing if isinstance(existing, list) else []
            count = repeat_count(post, field, len(old_items))
            items = []
            for index in range(count):
                old = old_items[index] if index < len(old_items) else {}
                items.append(
                    {
                        child.key: one(
                            child, f"{field.key}.{index}.{child.key}", old.get(child.key)
                        )
                        for child in field.children
                        if child.has_value
                    }
                )
            raw[field.key] = items
        else:
            raw[field.key] = one(field, field.key, existing)
    return raw


def _input_value(field: FieldSpec, value: Any) -> Any:
    """A clean answer as the text an input shows."""
    if value is None:
        return "" if field.type != "multichoice" else []
    if field.type == "date" and isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return datetime.date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    if field.type in ("yesno",) and isinstance(value, bool):
        return "yes" if value else "no"
    if field.type == "declaration":
        return bool(value) and value not in ("", "no", "false")
    if field.type == "number" and isinstance(value, float):
        return f"{value:g}"
    return value


def field_context(
    field: FieldSpec,
    path: str,
    value: Any,
    errors: Mapping[str, str],
    lang: str,
    file_names: Mapping[str, str],
) -> dict:
    ctx = {
        "field": field,
        "type": field.type,
        "id": html_id(path),
        "name": path,
        "label": field.label_text(lang),
        "hint": localize(field.hint, lang) if field.hint else "",
        "text": localize(field.text, lang) if field.text else "",
        "required": field.required,
        "error": errors.get(path, ""),
        "value": _input_value(field, value),
        "autocomplete": AUTOCOMPLETE.get(field.key, AUTOCOMPLETE.get(field.type, "")),
    }
    if field.type in ("choice", "multichoice"):
        chosen = value if isinstance(value, list) else [value]
        ctx["options"] = [
            {
                "value": o["value"],
                "label": localize(o.get("label", o["value"]), lang),
                "id": f"{ctx['id']}-{i}",
                "checked": o["value"] in chosen,
            }
            for i, o in enumerate(field.options)
        ]
    if field.type == "yesno":
        shown = _input_value(field, value)
        ctx["options"] = [
            {
                "value": "yes",
                "label": _yes(lang),
                "id": f"{ctx['id']}-0",
                "checked": shown == "yes",
            },
            {"value": "no", "label": _no(lang), "id": f"{ctx['id']}-1", "checked": shown == "no"},
        ]
    if field.type == "address":
        parts = value if isinstance(value, Mapping) else {}
        ctx["parts"] = [
            {
                "id": html_id(f"{path}.{part}"),
                "name": f"{path}.{part}",
                "label": localize(ADDRESS_LABELS[part], lang),
                "value": parts.get(part, ""),
                "error": errors.get(f"{path}.{part}", ""),
                "autocomplete": AUTOCOMPLETE.get(part, ""),
                "narrow": part in ("house_number", "postcode"),
            }
            for part in ADDRESS_PARTS
        ]
        ctx["error"] = ctx["error"] or next((p["error"] for p in ctx["parts"] if p["error"]), "")
    if field.type == "file":
        ids = value if isinstance(value, list) else ([value] if value else [])
        ctx["files"] = [{"id": i, "name": file_names.get(str(i), "")} for i in ids]
        kinds = field.validation.get("file_types") or ["pdf", "png", "jpeg"]
        ctx["accept"] = ",".join(
            {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}[k] for k in kinds
        )
    if field.type == "repeat":
        items = value if isinstance(value, list) else []
        ctx["count"] = len(items)
        ctx["can_add"] = len(items) < field.max_items
        ctx["items"] = [
            {
                "index": index,
                "number": index + 1,
                "fields": [
                    field_context(
                        child,
                        f"{path}.{index}.{child.key}",
                        (item or {}).get(child.key),
                        errors,
                        lang,
                        file_names,
                    )
                    for child in field.children
                ],
            }
            for index, item in enumerate(items)
        ]
    return ctx


def _yes(lang: str) -> str:
    return gettext("Yes")


def _no(lang: str) -> str:
    return gettext("No")


def step_context(
    step: StepSpec,
    values: Mapping[str, Any],
    errors: Mapping[str, str],
    lang: str,
    file_names: Mapping[str, str],
) -> list[dict]:
    return [
        field_context(f, f.key, values.get(f.key), errors, lang, file_names) for f in step.fields
    ]


def error_list(errors: Mapping[str, str], order: list[str]) -> list[dict]:
    """Errors for the summary, in the order of the fields on the page."""
    position = {path: i for i, path in enumerate(order)}
    items = sorted(errors.items(), key=lambda kv: position.get(kv[0], len(position)))
    return [{"href": "#" + html_id(path) if path else "", "message": m} for path, m in items]


def paths_in_order(step_fields: list[dict]) -> list[str]:
    order: list[str] = []
    for ctx in step_fields:
        order.append(ctx["name"])
        for part in ctx.get("parts", []):
            order.append(part["name"])
        for item in ctx.get("items", []):
            order.extend(paths_in_order(item["fields"]))
    return order
