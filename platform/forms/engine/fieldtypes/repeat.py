"""A repeating group: the same few fields once per entry (children, vehicles), between
`min_items` and `max_items` entries. Groups do not nest."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from portalwerk.platform.forms.engine.fieldtypes.base import FieldType, field_type, register
from portalwerk.platform.forms.engine.messages import _message
from portalwerk.platform.forms.engine.specs import FieldError, FieldSpec
from portalwerk.platform.forms.engine.values import _is_empty
from portalwerk.platform.forms.errors import FormErrorCode as Code

MAX_ITEMS_CAP = 50


def count_in_post(post: Mapping, f: FieldSpec, default: int) -> int:
    """How many entries a page sends (`<key>-count`); a tampered count is bounded by the
    definition."""
    try:
        count = int(post.get(f"{f.key}-count", default))
    except (TypeError, ValueError):
        count = default
    return max(0, min(count, f.max_items))


@register
class RepeatType(FieldType):
    kind = "repeat"

    def parse(self, spec, raw, where, known, problems, parse_field) -> None:
        children_raw = raw.get("fields")
        if not isinstance(children_raw, list) or not children_raw:
            problems.append(f"{where}: a repeating group needs fields")
            children_raw = []
        child_keys = {c.get("key") for c in children_raw if isinstance(c, Mapping)}
        child_seen: set[str] = set()
        for child in children_raw:
            if isinstance(child, Mapping) and child.get("type") == "repeat":
                problems.append(f"{where}: repeating groups do not nest")
                continue
            parsed = parse_field(
                child, f"{where} >", known | {k for k in child_keys if k}, problems, child_seen
            )
            if parsed:
                spec.children.append(parsed)
        spec.min_items = int(raw.get("min_items", 1 if spec.required else 0))
        spec.max_items = min(int(raw.get("max_items", 10)), MAX_ITEMS_CAP)
        if spec.min_items > spec.max_items:
            problems.append(f"{where}: min_items is larger than max_items")

    def required_message(self, f: FieldSpec) -> str:
        return _("Add at least one entry to “%(label)s”.") % {"label": f.label_text()}

    def clean(self, f, value, path, scope, uploads, errors) -> list | None:
        label = f.label_text()
        if value is None or value == "":
            value = []
        if not isinstance(value, list) or not all(isinstance(i, Mapping) for i in value):
            errors.append(
                FieldError(
                    path,
                    Code.INVALID_TYPE,
                    _("Enter the entries of “%(label)s”.") % {"label": label},
                )
            )
            return None
        count_error = self._count_error(f, [i for i in value if not _is_empty(i)], scope)
        if count_error is not None:
            errors.append(FieldError(path, *count_error))
            return None
        before = len(errors)
        cleaned_items = [
            self._clean_item(f, item, f"{path}.{index}", scope, uploads, errors)
            for index, item in enumerate(i for i in value if not _is_empty(i))
        ]
        if len(errors) > before:
            return None
        return cleaned_items

    def _count_error(self, f: FieldSpec, items: list, scope: Mapping) -> tuple | None:
        minimum = max(f.min_items, 1 if f.is_required(scope) else 0)
        label = f.label_text()
        if len(items) < minimum:
            if minimum == 1:
                return Code.REQUIRED, _message(f, "required", self.required_message(f))
            return (
                Code.TOO_FEW_ITEMS,
                _("Add at least %(n)s entries to “%(label)s”.") % {"n": minimum, "label": label},
            )
        if len(items) > f.max_items:
            return (
                Code.TOO_MANY_ITEMS,
                _("Add at most %(n)s entries to “%(label)s”.") % {"n": f.max_items, "label": label},
            )
        return None

    @staticmethod
    def _clean_item(f, item, item_path, scope, uploads, errors) -> dict[str, Any]:
        known = {c.key for c in f.children if c.has_value}
        for key in item:
            if key not in known:
                errors.append(
                    FieldError(
                        f"{item_path}.{key}", Code.UNKNOWN_FIELD, _("This is not a question here.")
                    )
                )
        cleaned_item: dict[str, Any] = {}
        item_scope = ChainMap(cleaned_item, scope)
        for child in f.children:
            if not child.has_value or not child.is_visible(item_scope):
                continue
            child_value = field_type(child.type).clean(
                child, item.get(child.key), f"{item_path}.{child.key}", item_scope, uploads, errors
            )
            if child_value is not None:
                cleaned_item[child.key] = child_value
        return cleaned_item

    def upload_ids(self, f: FieldSpec, value: Any) -> list:
        found: list = []
        if not isinstance(value, list):
            return found
        for item in value:
            if not isinstance(item, Mapping):
                continue
            for child in f.children:
                child_value = item.get(child.key)
                if child_value not in (None, "", []):
                    found.extend(field_type(child.type).upload_ids(child, child_value))
        return found

    def summary_rows(self, f, value, lang, file_names) -> list[dict]:
        rows = []
        for index, item in enumerate(value):
            for child in f.children:
                if child.has_value and child.key in item:
                    rows.append(
                        {
                            "key": f"{f.key}.{index}.{child.key}",
                            "field": f.key,
                            "label": f"{f.label_text(lang)} {index + 1}: {child.label_text(lang)}",
                            "value": field_type(child.type).display(
                                child, item[child.key], lang, file_names
                            ),
                        }
                    )
        return rows

    def read_post(self, f, post, files, name, existing, store_file) -> Any:
        old_items = existing if isinstance(existing, list) else []
        items = []
        for index in range(count_in_post(post, f, len(old_items))):
            old = old_items[index] if index < len(old_items) else {}
            items.append(
                {
                    child.key: field_type(child.type).read_post(
                        child,
                        post,
                        files,
                        f"{f.key}.{index}.{child.key}",
                        old.get(child.key),
                        store_file,
                    )
                    for child in f.children
                    if child.has_value
                }
            )
        return items

    def widget(self, f, ctx, path, value, errors, lang, file_names, child_context) -> None:
        items = value if isinstance(value, list) else []
        ctx["count"] = len(items)
        ctx["can_add"] = len(items) < f.max_items
        ctx["items"] = [
            {
                "index": index,
                "number": index + 1,
                "fields": [
                    child_context(child, f"{path}.{index}.{child.key}", (item or {}).get(child.key))
                    for child in f.children
                ],
            }
            for index, item in enumerate(items)
        ]
