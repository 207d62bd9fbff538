"""A submission's answers in its form's own structure, for the clerk: the steps in order, each
with its answers, and repeating groups as numbered entries (not flattened into "Child 2: Name")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portalwerk.platform.forms.engine.fieldtypes.base import field_type


def structured_answers(
    spec, answers: Mapping[str, Any], file_names: Mapping[str, str], lang: str | None = None
) -> list[dict]:
    """`[{"title", "entries": [{"rows": [...]} | {"group", "items": [{"number", "rows"}]}]}]`;
    a row is `{"key", "label", "value"}` as the form engine's summary makes it."""
    steps = []
    for step in spec.steps:
        if step.is_skipped(answers):
            continue
        entries = []
        for f in step.fields:
            if not (f.has_value and f.key in answers):
                continue
            if f.children:
                entries.append(_group(f, answers[f.key], lang, file_names))
            else:
                rows = f.field_type.summary_rows(f, answers[f.key], lang, file_names)
                entries.append({"rows": rows})
        steps.append({"title": step.title_text(lang), "entries": entries})
    return steps


def _group(f, value, lang, file_names) -> dict:
    items = []
    for index, item in enumerate(value if isinstance(value, list) else []):
        rows = [
            {
                "key": f"{f.key}.{index}.{child.key}",
                "label": child.label_text(lang),
                "value": field_type(child.type).display(child, item[child.key], lang, file_names),
            }
            for child in f.children
            if child.has_value and isinstance(item, Mapping) and child.key in item
        ]
        items.append({"number": index + 1, "rows": rows})
    return {"group": f.label_text(lang), "items": items}
