"""Between the engine and HTML: reading a step's POST into raw values, and building what the
templates render (ids, names, values, errors) for each field of a step."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from portalwerk.platform.forms.engine.specs import FieldSpec, StepSpec, localize

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


def read_post(
    step: StepSpec,
    post,
    files,
    current: Mapping[str, Any],
    store_file: Callable[[str, Any], str],
) -> dict[str, Any]:
    """A step's raw values from a POST (QueryDict). A file field without a new file keeps the
    file it had; a new file is stored first (and checked) by `store_file(path, file) -> id`."""
    return {
        f.key: f.field_type.read_post(f, post, files, f.key, current.get(f.key), store_file)
        for f in step.fields
        if f.has_value
    }


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
        "value": field.field_type.input_value(field, value),
        "autocomplete": AUTOCOMPLETE.get(field.key, AUTOCOMPLETE.get(field.type, "")),
    }
    field.field_type.widget(
        field,
        ctx,
        path,
        value,
        errors,
        lang,
        file_names,
        lambda child, child_path, child_value: field_context(
            child, child_path, child_value, errors, lang, file_names
        ),
    )
    return ctx


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
