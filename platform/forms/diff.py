"""The differences between two definitions of a form, in words for the clerk who publishes:
steps and fields added, removed and moved, and what changed about a field (label, required,
conditions, validation, options), the fee and the sign-in.

Steps and fields are matched by their keys, the identity the engine gives them (answers are
kept under a field's key), not by position: a generic structural diff (deepdiff and the like)
compares lists item by item and would report a step inserted at the top as every step
changed. Order is compared with difflib's longest matching blocks, so one moved field is one
sentence, not a shift of all the others."""

from __future__ import annotations

import contextvars
import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from portalwerk.platform.forms.condition_words import in_words
from portalwerk.platform.forms.engine.specs import localize
from portalwerk.platform.forms.fees import format_fee

ADDED, REMOVED, MOVED, CHANGED = "added", "removed", "moved", "changed"
# The fields of the old and the new definition by key, for conditions in words: set for the
# length of one `compare`, so the helpers below need not hand them down to each other.
_KNOWN: contextvars.ContextVar[tuple[dict, dict]] = contextvars.ContextVar("known")


@dataclass(frozen=True)
class Change:
    kind: str  # added, removed, moved, changed
    text: str


def _steps(definition: Mapping | None) -> list[Mapping]:
    steps = (definition or {}).get("steps") or []
    return [s for s in steps if isinstance(s, Mapping) and isinstance(s.get("key"), str)]


def _fields(container: Mapping) -> list[Mapping]:
    fields = container.get("fields") or []
    return [f for f in fields if isinstance(f, Mapping) and isinstance(f.get("key"), str)]


def _label(raw: Mapping, lang: str | None) -> str:
    return localize(raw.get("label") or raw.get("text") or raw.get("key"), lang)


def _title(step: Mapping, lang: str | None) -> str:
    return localize(step.get("title") or step.get("key"), lang)


def _moved(old: list[str], new: list[str]) -> list[str]:
    """Keys in both lists whose place relative to the others changed."""
    common = set(old) & set(new)
    a = [k for k in old if k in common]
    b = [k for k in new if k in common]
    kept: set[str] = set()
    for block in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_matching_blocks():
        kept.update(b[block.b : block.b + block.size])
    return [k for k in b if k not in kept]


def compare(old: Mapping | None, new: Mapping, lang: str | None = None) -> list[Change]:
    """What changes from `old` to `new` (`old` None: nothing published yet, so nothing to
    compare). In the order a reader meets it in `new`; removals last."""
    if old is None:
        return []
    token = _KNOWN.set((_all_fields(old), _all_fields(new)))
    try:
        return _compare(old, new, lang)
    finally:
        _KNOWN.reset(token)


def _all_fields(definition: Mapping) -> dict[str, Mapping]:
    found: dict[str, Mapping] = {}
    for step in _steps(definition):
        for field in _fields(step):
            found.setdefault(field["key"], field)
            for child in _fields(field):
                found.setdefault(child["key"], child)
    return found


def _conditional(prop: str, old_rule: Any, new_rule: Any, lang) -> str:
    """The change of a condition in words ("now shown only if …"), or "" when it has none."""
    old_fields, new_fields = _KNOWN.get(({}, {}))
    now = in_words(new_rule, new_fields, lang) if new_rule is not None else ""
    was = in_words(old_rule, old_fields, lang) if old_rule is not None else ""
    if not now:
        return ""
    if old_rule is None:
        return _WITH_WORDS[prop]()[0] % {"new": now}
    if was:
        return _WITH_WORDS[prop]()[1] % {"new": now, "old": was}
    return ""


_WITH_WORDS = {
    "show_if": lambda: (
        _("now shown only if %(new)s."),
        _("now shown if %(new)s (before: if %(old)s)."),
    ),
    "require_if": lambda: (
        _("now required if %(new)s."),
        _("now required if %(new)s (before: if %(old)s)."),
    ),
    "skip_if": lambda: (
        _("now skipped if %(new)s."),
        _("now skipped if %(new)s (before: if %(old)s)."),
    ),
}


def _compare(old: Mapping, new: Mapping, lang) -> list[Change]:
    changes: list[Change] = []
    old_steps = {s["key"]: s for s in _steps(old)}
    new_steps = {s["key"]: s for s in _steps(new)}
    old_order, new_order = list(old_steps), list(new_steps)
    moved_steps = _moved(old_order, new_order)
    # where each top-level field is, by key: (step key, field)
    old_fields = {f["key"]: (s["key"], f) for s in _steps(old) for f in _fields(s)}
    new_fields = {f["key"]: (s["key"], f) for s in _steps(new) for f in _fields(s)}
    for position, key in enumerate(new_order, start=1):
        step = new_steps[key]
        title = _title(step, lang)
        if key not in old_steps:
            changes.append(
                Change(
                    ADDED,
                    _("Step “%(step)s” added (now step %(position)s).")
                    % {"step": title, "position": position},
                )
            )
        else:
            changes.extend(_step_changes(old_steps[key], step, title, lang))
            if key in moved_steps:
                changes.append(
                    Change(
                        MOVED,
                        _("Step “%(step)s” moved from position %(old)s to %(new)s.")
                        % {"step": title, "old": old_order.index(key) + 1, "new": position},
                    )
                )
        changes.extend(_field_changes(step, old_steps.get(key), old_fields, old_steps, lang))
    for key, (step_key, field) in old_fields.items():
        if key not in new_fields and step_key in new_steps:
            changes.append(
                Change(
                    REMOVED,
                    _("Field “%(field)s” removed from step “%(step)s”.")
                    % {"field": _label(field, lang), "step": _title(old_steps[step_key], lang)},
                )
            )
    for key in old_order:
        if key not in new_steps:
            changes.append(
                Change(
                    REMOVED,
                    _("Step “%(step)s” removed, with its fields.")
                    % {"step": _title(old_steps[key], lang)},
                )
            )
    changes.extend(_fee_changes(old.get("fee"), new.get("fee"), lang))
    if old.get("sign_in") != new.get("sign_in"):
        changes.append(Change(CHANGED, _("The sign-in the form needs changed.")))
    return changes


def _step_changes(old: Mapping, new: Mapping, title: str, lang) -> list[Change]:
    changes = []
    if old.get("title") != new.get("title"):
        was, now = _changed_text(old.get("title"), new.get("title"), lang)
        changes.append(
            Change(
                CHANGED,
                _("Step “%(step)s”: title changed from “%(old)s” to “%(new)s”.")
                % {"step": title, "old": was, "new": now},
            )
        )
    rule = _rule_change(old.get("skip_if"), new.get("skip_if"))
    words = _conditional("skip_if", old.get("skip_if"), new.get("skip_if"), lang) if rule else ""
    if words:
        changes.append(
            Change(
                CHANGED,
                _("Step “%(step)s”: %(change)s") % {"step": title, "change": words},
            )
        )
    elif rule:
        changes.append(
            Change(
                CHANGED,
                {
                    ADDED: _("Step “%(step)s”: a condition for skipping it was added."),
                    REMOVED: _("Step “%(step)s”: it is no longer skipped on a condition."),
                    CHANGED: _("Step “%(step)s”: the condition for skipping it changed."),
                }[rule]
                % {"step": title},
            )
        )
    return changes


def _field_changes(
    step: Mapping, old_step: Mapping | None, old_fields: dict, old_steps: dict, lang
) -> list[Change]:
    changes = []
    title = _title(step, lang)
    here = [f["key"] for f in _fields(step)]
    before = [f["key"] for f in _fields(old_step)] if old_step else []
    moved_here = set(_moved(before, here))
    for field in _fields(step):
        key, label = field["key"], _label(field, lang)
        if key not in old_fields:
            changes.append(
                Change(
                    ADDED,
                    _("Field “%(field)s” added to step “%(step)s”.")
                    % {"field": label, "step": title},
                )
            )
            continue
        old_step_key, old_field = old_fields[key]
        if old_step_key != step["key"]:
            was = old_steps[old_step_key]
            changes.append(
                Change(
                    MOVED,
                    _("Field “%(field)s” moved from step “%(old)s” to step “%(new)s”.")
                    % {"field": label, "old": _title(was, lang), "new": title},
                )
            )
        elif key in moved_here:
            changes.append(
                Change(
                    MOVED,
                    _("Field “%(field)s” moved within step “%(step)s” (now %(position)s of %(n)s).")
                    % {
                        "field": label,
                        "step": title,
                        "position": here.index(key) + 1,
                        "n": len(here),
                    },
                )
            )
        changes.extend(_property_changes(old_field, field, label, lang))
    return changes


def _property_changes(old: Mapping, new: Mapping, label: str, lang, group: str = "") -> list:
    """What changed about one field (and, for a repeating group, about its fields)."""
    name = (
        label if not group else _("%(field)s (in “%(group)s”)") % {"field": label, "group": group}
    )
    out: list[Change] = []

    def say(text: str) -> None:
        out.append(
            Change(CHANGED, _("Field “%(field)s”: %(change)s") % {"field": name, "change": text})
        )

    if old.get("type") != new.get("type"):
        say(
            _("type changed from %(old)s to %(new)s.")
            % {"old": old.get("type"), "new": new.get("type")}
        )
    if old.get("label") != new.get("label"):
        was, now = _changed_text(old.get("label"), new.get("label"), lang)
        say(_("label changed from “%(old)s” to “%(new)s”.") % {"old": was, "new": now})
    if old.get("hint") != new.get("hint"):
        say(_("help text changed."))
    if old.get("text") != new.get("text") and new.get("type") == "info":
        say(_("text changed."))
    if bool(old.get("required")) != bool(new.get("required")):
        say(_("now required.") if new.get("required") else _("no longer required."))
    for prop, words in (
        ("show_if", _CONDITION_WORDS["show_if"]),
        ("require_if", _CONDITION_WORDS["require_if"]),
    ):
        rule = _rule_change(old.get(prop), new.get(prop))
        if rule:
            say(_conditional(prop, old.get(prop), new.get(prop), lang) or words()[rule])
    for text in _validation_changes(old.get("validation") or {}, new.get("validation") or {}):
        say(text)
    for text in _option_changes(old, new, lang):
        say(text)
    if old.get("messages") != new.get("messages"):
        say(_("its own error messages changed."))
    for prop in ("prefill", "options_from", "prefill_from", "multiple", "min_items", "max_items"):
        if old.get(prop) != new.get(prop):
            say(
                _("“%(property)s” changed from %(old)s to %(new)s.")
                % {
                    "property": prop,
                    "old": _shown(old.get(prop)),
                    "new": _shown(new.get(prop)),
                }
            )
    if new.get("type") == "repeat":
        out.extend(_group_changes(old, new, label, lang))
    return out


def _group_changes(old: Mapping, new: Mapping, group: str, lang) -> list[Change]:
    out = []
    before = {c["key"]: c for c in _fields(old)}
    after = {c["key"]: c for c in _fields(new)}
    for key, child in after.items():
        if key not in before:
            out.append(
                Change(
                    ADDED,
                    _("Field “%(field)s” added to the group “%(group)s”.")
                    % {"field": _label(child, lang), "group": group},
                )
            )
        else:
            out.extend(_property_changes(before[key], child, _label(child, lang), lang, group))
    for key, child in before.items():
        if key not in after:
            out.append(
                Change(
                    REMOVED,
                    _("Field “%(field)s” removed from the group “%(group)s”.")
                    % {"field": _label(child, lang), "group": group},
                )
            )
    moved = _moved(list(before), list(after))
    for key in moved:
        out.append(
            Change(
                MOVED,
                _("Field “%(field)s” moved within the group “%(group)s”.")
                % {"field": _label(after[key], lang), "group": group},
            )
        )
    return out


_CONDITION_WORDS = {
    "show_if": lambda: {
        ADDED: _("now shown only on a condition."),
        REMOVED: _("now always shown (its condition was removed)."),
        CHANGED: _("the condition for showing it changed."),
    },
    "require_if": lambda: {
        ADDED: _("now required on a condition."),
        REMOVED: _("no longer required on a condition."),
        CHANGED: _("the condition for requiring it changed."),
    },
}


def _rule_change(old: Any, new: Any) -> str:
    if old == new:
        return ""
    if old is None:
        return ADDED
    if new is None:
        return REMOVED
    return CHANGED


def _validation_names() -> dict[str, str]:
    return {
        "min_length": _("shortest length"),
        "max_length": _("longest length"),
        "pattern": _("pattern"),
        "min": _("smallest value"),
        "max": _("largest value"),
        "integer": _("whole numbers only"),
        "before": _("latest date"),
        "after": _("earliest date"),
        "file_types": _("file types"),
        "max_size": _("largest file size (bytes)"),
    }


def _validation_changes(old: Mapping, new: Mapping) -> list[str]:
    names = _validation_names()
    out = []
    for key in [*new, *[k for k in old if k not in new]]:
        if old.get(key) == new.get(key):
            continue
        name = names.get(key, key)
        if key not in old:
            out.append(
                _("rule “%(rule)s” added: %(new)s.") % {"rule": name, "new": _shown(new[key])}
            )
        elif key not in new:
            out.append(_("rule “%(rule)s” removed.") % {"rule": name})
        else:
            out.append(
                _("rule “%(rule)s” changed from %(old)s to %(new)s.")
                % {"rule": name, "old": _shown(old[key]), "new": _shown(new[key])}
            )
    return out


def _option_changes(old: Mapping, new: Mapping, lang) -> list[str]:
    before = {str(o.get("value")): o for o in old.get("options") or [] if isinstance(o, Mapping)}
    after = {str(o.get("value")): o for o in new.get("options") or [] if isinstance(o, Mapping)}
    if list(before.items()) == list(after.items()):
        return []
    added = [localize(o.get("label", v), lang) for v, o in after.items() if v not in before]
    removed = [localize(o.get("label", v), lang) for v, o in before.items() if v not in after]
    relabelled = [
        localize(o.get("label", v), lang)
        for v, o in after.items()
        if v in before and before[v].get("label") != o.get("label")
    ]
    out = []
    if added:
        out.append(_("options added: %(options)s.") % {"options": _quoted(added)})
    if removed:
        out.append(_("options removed: %(options)s.") % {"options": _quoted(removed)})
    if relabelled:
        out.append(_("options renamed: %(options)s.") % {"options": _quoted(relabelled)})
    if not out:
        out.append(_("order of the options changed."))
    return out


def _fee_changes(old: Any, new: Any, lang) -> list[Change]:
    if old == new:
        return []
    if old is None:
        return [Change(ADDED, _("A fee was added: %(fee)s.") % {"fee": _fee_text(new, lang)})]
    if new is None:
        return [Change(REMOVED, _("The fee was removed: the form is free now."))]
    if (old or {}).get("amount") != (new or {}).get("amount"):
        return [
            Change(
                CHANGED,
                _("The fee changed from %(old)s to %(new)s.")
                % {"old": _fee_text(old, lang), "new": _fee_text(new, lang)},
            )
        ]
    return [Change(CHANGED, _("The fee's label changed."))]


def _fee_text(fee: Any, lang) -> str:
    amount = fee.get("amount") if isinstance(fee, Mapping) else None
    if isinstance(amount, (int, float)) and not isinstance(amount, bool):
        return format_fee(int(amount), lang)
    return _("an amount that depends on the answers")


def _changed_text(old: Any, new: Any, lang) -> tuple[str, str]:
    """Old and new text in the reader's language; where only another language changed, in
    that one (so a changed English label is not reported as "from X to X")."""
    was, now = localize(old, lang), localize(new, lang)
    if was == now and isinstance(old, Mapping) and isinstance(new, Mapping):
        for other in sorted(set(old) | set(new)):
            if old.get(other) != new.get(other):
                return f"{old.get(other, '')} ({other})", f"{new.get(other, '')} ({other})"
    return was, now


def _quoted(items: list[str]) -> str:
    return ", ".join(f"“{item}”" for item in items)


def _shown(value: Any) -> str:
    if value is None:
        return _("none")
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
