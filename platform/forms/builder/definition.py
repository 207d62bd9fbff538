"""Finding, naming and rearranging the parts of a definition (plain dicts, changed in place).

A field is found by its path: its key, or `<group>.<key>` for a field of a repeating group (the
keys of a group's fields are its own; a step's fields' keys are unique in the whole form)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from portalwerk.platform.forms import logic
from portalwerk.platform.forms.engine.parsing import KEY_RE

MAX_KEY = 40
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slug_key(text: str, fallback: str = "field") -> str:
    """A key from a German label: "Größe des Hundes" -> "groesse_des_hundes"."""
    text = unicodedata.normalize("NFKD", (text or "").lower().translate(_UMLAUTS))
    text = text.encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:MAX_KEY].strip("_")
    if not key or not key[0].isalpha():
        key = f"{fallback}_{key}" if key else fallback
    return key


def unique_key(base: str, taken: set[str]) -> str:
    if base not in taken and base != "check":
        return base
    n = 2
    while f"{base[: MAX_KEY - 4]}_{n}" in taken:
        n += 1
    return f"{base[: MAX_KEY - 4]}_{n}"


def valid_key(key: str) -> bool:
    return bool(KEY_RE.match(key or "")) and key != "check"


def steps(definition: dict) -> list[dict]:
    return definition.setdefault("steps", [])


def step(definition: dict, key: str) -> dict | None:
    return next((s for s in steps(definition) if s.get("key") == key), None)


def step_keys(definition: dict) -> set[str]:
    return {s.get("key") for s in steps(definition)}


def top_fields(definition: dict) -> Iterator[tuple[dict, dict]]:
    """(step, field) for every field of every step, in order."""
    for s in steps(definition):
        for f in s.get("fields") or []:
            yield s, f


def field_keys(definition: dict) -> set[str]:
    return {f.get("key") for _s, f in top_fields(definition)}


def split(path: str) -> tuple[str, str | None]:
    group, _dot, child = path.partition(".")
    return (group, child) if child else (path, None)


def locate(definition: dict, path: str) -> tuple[list[dict], int, dict | None] | None:
    """(the list holding the field, its index, the group it is in or None)."""
    group_key, child_key = split(path)
    for _s, f in top_fields(definition):
        if f.get("key") != group_key:
            continue
        if child_key is None:
            holder = _s["fields"]
            return holder, holder.index(f), None
        children = f.get("fields") or []
        for index, child in enumerate(children):
            if child.get("key") == child_key:
                return children, index, f
    return None


def field(definition: dict, path: str) -> dict | None:
    found = locate(definition, path)
    return found[0][found[1]] if found else None


def step_of(definition: dict, path: str) -> dict | None:
    key = split(path)[0]
    return next((s for s, f in top_fields(definition) if f.get("key") == key), None)


def move(items: list, index: int, direction: str) -> bool:
    """Swap an item with its neighbour; False when it is at that end already."""
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(items):
        return False
    items[index], items[other] = items[other], items[index]
    return True


# -- conditions that refer to a field --------------------------------------------------------


def _reads(rule: Any, key: str) -> bool:
    return any(p.split(".")[0] == key for p in logic.variables(rule))


def _rules_of(f: dict) -> Iterator[tuple[str, Any]]:
    for name in ("show_if", "require_if"):
        if f.get(name) is not None:
            yield name, f[name]


def dependents(definition: dict, path: str) -> list[tuple[str, str]]:
    """What reads the field at `path`: [(kind, name)] with kind "field", "step" or "fee"; name
    is the key (path) of the field or step whose condition reads it."""
    found: list[tuple[str, str]] = []
    group_key, child_key = split(path)
    if child_key is not None:
        group = field(definition, group_key) or {}
        for sibling in group.get("fields") or []:
            if sibling.get("key") != child_key and any(
                _reads(r, child_key) for _n, r in _rules_of(sibling)
            ):
                found.append(("field", f"{group_key}.{sibling['key']}"))
        return found
    for s in steps(definition):
        if s.get("skip_if") is not None and _reads(s["skip_if"], group_key):
            found.append(("step", s["key"]))
        for f in s.get("fields") or []:
            if f.get("key") != group_key and any(_reads(r, group_key) for _n, r in _rules_of(f)):
                found.append(("field", f["key"]))
            for child in f.get("fields") or []:
                own = {c.get("key") for c in f.get("fields") or []}
                if group_key not in own and any(_reads(r, group_key) for _n, r in _rules_of(child)):
                    found.append(("field", f"{f['key']}.{child['key']}"))
    fee = definition.get("fee")
    if isinstance(fee, dict) and _reads(fee.get("amount"), group_key):
        found.append(("fee", ""))
    return found


def rename_var(rule: Any, old: str, new: str) -> Any:
    """The rule with every `var` path starting with `old` starting with `new` instead."""
    if isinstance(rule, list):
        return [rename_var(r, old, new) for r in rule]
    if not isinstance(rule, dict):
        return rule
    out = {}
    for op, args in rule.items():
        if op == "var":
            out[op] = _renamed_path(args, old, new)
        else:
            out[op] = rename_var(args, old, new)
    return out


def _renamed_path(args: Any, old: str, new: str) -> Any:
    if isinstance(args, list) and args and isinstance(args[0], str):
        return [_renamed_path(args[0], old, new), *args[1:]]
    if isinstance(args, str):
        head, dot, rest = args.partition(".")
        return f"{new}{dot}{rest}" if head == old else args
    return args


def rename_references(definition: dict, path: str, new_key: str) -> None:
    """After the field at `path` got `new_key`: the conditions and the fee that read it follow."""
    group_key, child_key = split(path)
    if child_key is not None:
        group = field(definition, group_key) or {}
        for sibling in group.get("fields") or []:
            for name, rule in list(_rules_of(sibling)):
                sibling[name] = rename_var(rule, child_key, new_key)
        return
    for s in steps(definition):
        if s.get("skip_if") is not None:
            s["skip_if"] = rename_var(s["skip_if"], group_key, new_key)
        for f in s.get("fields") or []:
            for name, rule in list(_rules_of(f)):
                f[name] = rename_var(rule, group_key, new_key)
            own = {c.get("key") for c in f.get("fields") or []}
            for child in f.get("fields") or []:
                if group_key not in own:
                    for name, rule in list(_rules_of(child)):
                        child[name] = rename_var(rule, group_key, new_key)
    fee = definition.get("fee")
    if isinstance(fee, dict) and "amount" in fee:
        fee["amount"] = rename_var(fee["amount"], group_key, new_key)


def fields_before(definition: dict, path: str | None, step_key: str | None = None) -> list[dict]:
    """The fields a condition of the field at `path` (or of the step `step_key`) can sensibly
    read: those asked before it, and for a group's field, also its siblings before it."""
    before: list[dict] = []
    group_key, child_key = split(path) if path else (None, None)
    for s in steps(definition):
        if step_key is not None and s.get("key") == step_key:
            break
        for f in s.get("fields") or []:
            if path is not None and f.get("key") == group_key:
                if child_key is not None:
                    for child in f.get("fields") or []:
                        if child.get("key") == child_key:
                            break
                        before.append(child)
                return before
            before.append(f)
    return before
