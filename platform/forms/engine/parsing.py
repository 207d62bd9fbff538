"""One field of a definition checked and turned into a `FieldSpec`, its conditions compiled.

Problems are collected rather than raised, so a clerk sees everything that is wrong at once;
`FormSpec.from_definition` raises them together as a `DefinitionError`."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from portalwerk.platform.forms import logic
from portalwerk.platform.forms.engine.fieldtypes import field_type
from portalwerk.platform.forms.engine.specs import FILE_KINDS, PREFILL_SOURCES, FieldSpec
from portalwerk.platform.forms.engine.values import _resolve_date

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
PROPERTIES = {
    "key",
    "type",
    "label",
    "hint",
    "required",
    "validation",
    "options",
    "fields",
    "min_items",
    "max_items",
    "multiple",
    "text",
    "messages",
    "show_if",
    "require_if",
    "prefill",
    "options_from",
    "prefill_from",
}
# the types a data source may prefill (`prefill_from`): one value each, checked when saved
SOURCE_PREFILL_TYPES = {"text", "textarea", "email", "phone", "iban", "postcode", "number", "date"}


def _compile(rule: Any, where: str, known: set[str], problems: list[str]) -> Callable | None:
    if rule is None:
        return None
    try:
        compiled = logic.compile_logic(rule)
    except (logic.LogicError, TypeError) as exc:
        problems.append(f"{where}: {exc}")
        return None
    for path in logic.variables(rule):
        if path.split(".")[0] not in known:
            problems.append(f"{where}: the condition refers to an unknown field {path!r}")
    return compiled


def _parse_field(
    raw: Any, where: str, known: set[str], problems: list[str], seen: set[str]
) -> FieldSpec | None:
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: a field is an object")
        return None
    key, kind = raw.get("key"), raw.get("type")
    if not isinstance(key, str) or not KEY_RE.match(key):
        problems.append(f"{where}: key {key!r} must be lower case letters, digits and _")
        return None
    where = f"{where} field {key!r}"
    if key in seen:
        problems.append(f"{where}: the key is used twice")
    seen.add(key)
    ftype = field_type(kind)
    if ftype is None:
        problems.append(f"{where}: unknown type {kind!r}")
        return None
    if ftype.needs_label and not raw.get("label"):
        problems.append(f"{where}: a label is required")
    unknown = set(raw) - PROPERTIES
    if unknown:
        problems.append(f"{where}: unknown properties {sorted(unknown)}")
    validation = raw.get("validation") or {}
    if not isinstance(validation, Mapping):
        problems.append(f"{where}: validation is an object")
        validation = {}
    spec = FieldSpec(
        key=key,
        type=kind,
        label=raw.get("label") or raw.get("text") or key,
        hint=raw.get("hint"),
        required=bool(raw.get("required", False)),
        validation=dict(validation),
        text=raw.get("text"),
        messages=dict(raw.get("messages") or {}),
        multiple=bool(raw.get("multiple", False)),
        field_type=ftype,
    )
    _parse_validation(spec, validation, where, problems)
    prefill = raw.get("prefill")
    if prefill is not None:
        if prefill not in PREFILL_SOURCES or not ftype.has_value:
            problems.append(f"{where}: prefill must be one of {', '.join(PREFILL_SOURCES)}")
        elif (prefill == "address") != (ftype.kind == "address"):
            problems.append(f"{where}: prefill 'address' fits address fields, and only it does")
        elif prefill == "birth_date" and kind != "date":
            problems.append(f"{where}: prefill 'birth_date' fits date fields only")
        else:
            spec.prefill = prefill
    _parse_prefill_from(spec, raw.get("prefill_from"), where, problems)
    ftype.parse(spec, raw, where, known, problems, _parse_field)
    scope_keys = known | {key}
    show = _compile(raw.get("show_if"), f"{where} show_if", scope_keys, problems)
    if show:
        spec.show_if, spec.has_show_if = show, True
        spec.show_vars = frozenset(p.split(".")[0] for p in logic.variables(raw["show_if"]))
    req = _compile(raw.get("require_if"), f"{where} require_if", scope_keys, problems)
    if req:
        spec.require_if, spec.has_require_if = req, True
    return spec


def _parse_validation(
    spec: FieldSpec, validation: Mapping, where: str, problems: list[str]
) -> None:
    """The checks any type may carry (`validation`): a pattern, date bounds, file types."""
    pattern = validation.get("pattern")
    if pattern is not None:
        try:
            spec.pattern = re.compile(pattern)
        except (re.error, TypeError) as exc:
            problems.append(f"{where}: the pattern does not compile ({exc})")
    for bound in ("before", "after"):
        value = validation.get(bound)
        if value is not None and _resolve_date(value) is None:
            problems.append(f"{where}: {bound} must be an ISO date or today±N[dmy]")
    file_types = validation.get("file_types")
    if file_types is not None and (
        not isinstance(file_types, list) or not set(file_types) <= FILE_KINDS
    ):
        problems.append(f"{where}: file_types must be a list out of {sorted(FILE_KINDS)}")


def _parse_prefill_from(spec: FieldSpec, raw: Any, where: str, problems: list[str]) -> None:
    """`{"source": "<key>", "value": "<path>"}`: the value at the path of the source's answer."""
    if raw is None:
        return
    if spec.type not in SOURCE_PREFILL_TYPES:
        problems.append(f"{where}: prefill_from fits {', '.join(sorted(SOURCE_PREFILL_TYPES))}")
        return
    if spec.prefill:
        problems.append(f"{where}: prefill and prefill_from exclude each other")
        return
    if (
        not isinstance(raw, Mapping)
        or set(raw) != {"source", "value"}
        or not isinstance(raw["source"], str)
        or not KEY_RE.match(raw["source"])
        or not isinstance(raw["value"], str)
        or not 0 < len(raw["value"]) <= 200
    ):
        problems.append(f"{where}: prefill_from is {{'source': a source key, 'value': a path}}")
        return
    spec.prefill_from = {"source": raw["source"], "value": raw["value"]}
