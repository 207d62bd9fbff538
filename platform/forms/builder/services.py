"""The builder's writes: each one small change to a draft version's definition.

Every function takes `*, actor` (who may manage the tenant's settings), locks the version, refuses
a version that is not a draft, makes its change on a copy of the definition, has the engine check
the whole definition (`FormSpec.from_definition`) and only then saves it and writes an audit
entry (`form.edited`, with the kind of change). A refused change changes nothing. Each returns a
`Change`: the version, the id of the page element changed (the page returns there) and the
message the page announces."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portalwerk.platform.accounts.identity.assurance import ORDER, AccountKind
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.forms.builder import conditions as cond
from portalwerk.platform.forms.builder import definition as d
from portalwerk.platform.forms.builder import fees as fee_kinds
from portalwerk.platform.forms.builder import fieldedit
from portalwerk.platform.forms.builder.values import cents
from portalwerk.platform.forms.engine.fieldtypes import kinds
from portalwerk.platform.forms.engine.form import FormSpec
from portalwerk.platform.forms.engine.specs import DefinitionError, localize
from portalwerk.platform.forms.errors import FormErrorCode as Code
from portalwerk.platform.forms.models import FormVersion, VersionStatus
from portalwerk.platform.forms.services.checks import _error, _require_manager

DIRECTIONS = ("up", "down")


@dataclass(frozen=True)
class Change:
    version: FormVersion
    anchor: str
    message: str


def get_version_for(actor: Actor, form_id, number) -> FormVersion:
    """A version of one of this tenant's forms, for someone who may build forms; one uniform
    "not found" otherwise."""
    _require_manager(actor)
    version = (
        FormVersion.objects.select_related("form")
        .filter(form_id=_int(form_id), number=_int(number))
        .first()
    )
    if version is None:
        raise _error(Code.NOT_FOUND, _("This was not found."))
    return version


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _change(actor: Actor, version: FormVersion, what: str, apply: Callable) -> Change:
    _require_manager(actor)
    with transaction.atomic():
        locked = FormVersion.objects.select_for_update().select_related("form").get(pk=version.pk)
        if locked.status != VersionStatus.DRAFT:
            raise _error(
                Code.NOT_A_DRAFT_VERSION,
                _("A published version cannot change. Make a new draft version."),
            )
        definition = copy.deepcopy(locked.definition)
        anchor, message = apply(definition)
        check(definition)
        locked.definition = definition
        locked.save(update_fields=["definition"])
        record(actor, Action.FORM_EDITED, locked.form, version=locked.number, change=what)
    return Change(locked, anchor, message)


def check(definition) -> None:
    """The engine's verdict on the whole definition, as the builder's message."""
    try:
        FormSpec.from_definition(definition)
    except DefinitionError as exc:
        raise _error(
            Code.INVALID_DEFINITION,
            _("The form would not work this way, so nothing was changed: %(problem)s")
            % {"problem": "; ".join(exc.problems)},
        ) from None


def _label(raw: Mapping, prefix: str, field_name: str) -> dict:
    label = fieldedit.texts(raw, prefix)
    problem = fieldedit.label_problem(label)
    if problem:
        raise _error(Code.REQUIRED, problem, field_name)
    return label


def _step(definition: dict, step_key: str) -> dict:
    s = d.step(definition, step_key)
    if s is None:
        raise _error(Code.NOT_FOUND, _("This step was not found. Perhaps it was just removed."))
    return s


def _field(definition: dict, path: str) -> dict:
    f = d.field(definition, path)
    if f is None:
        raise _error(Code.NOT_FOUND, _("This question was not found. Perhaps it was just removed."))
    return f


def _name(f: dict) -> str:
    return localize(f.get("label") or f.get("text") or f.get("key"))


def field_anchor(path: str) -> str:
    return "field-" + path.replace(".", "-")


# -- steps -------------------------------------------------------------------------------------


def add_step(*, actor: Actor, version: FormVersion, raw: Mapping) -> Change:
    """A new step at the end, with its first question (a step is never empty): `title_de`,
    `title_en`, `type`, `label_de`, `label_en`."""

    def apply(definition):
        title = _label(raw, "title", "title_de")
        kind = _kind(raw.get("type"))
        label = _label(raw, "label", "label_de")
        key = d.unique_key(d.slug_key(title["de"], "step"), d.step_keys(definition))
        field_key = d.unique_key(d.slug_key(label["de"]), d.field_keys(definition))
        d.steps(definition).append(
            {"key": key, "title": title, "fields": [fieldedit.new_field(kind, label, field_key)]}
        )
        return f"step-{key}", _("The step “%(step)s” was added.") % {"step": title["de"]}

    return _change(actor, version, "step_added", apply)


def change_step(*, actor: Actor, version: FormVersion, step_key: str, raw: Mapping) -> Change:
    """The step's title (`title_de`, `title_en`) and its key (`key`)."""

    def apply(definition):
        s = _step(definition, step_key)
        s["title"] = _label(raw, "title", "title_de")
        key = str(raw.get("key") or "").strip() or s["key"]
        if key != s["key"]:
            if not d.valid_key(key):
                raise _error(
                    Code.INVALID_TYPE,
                    _("Use lower case letters, digits and _, starting with a letter."),
                    "key",
                )
            if key in d.step_keys(definition):
                raise _error(Code.INVALID_TYPE, _("Another step has this key already."), "key")
            s["key"] = key
        return f"step-{s['key']}", _("The step “%(step)s” was saved.") % {"step": s["title"]["de"]}

    return _change(actor, version, "step_changed", apply)


def move_step(*, actor: Actor, version: FormVersion, step_key: str, direction: str) -> Change:
    def apply(definition):
        s = _step(definition, step_key)
        items = d.steps(definition)
        if direction not in DIRECTIONS or not d.move(items, items.index(s), direction):
            raise _error(Code.INVALID_TYPE, _("The step cannot move further."))
        where = _("The step “%(step)s” is now step %(n)s.") % {
            "step": localize(s.get("title")),
            "n": items.index(s) + 1,
        }
        return f"step-{step_key}", where

    return _change(actor, version, "step_moved", apply)


def remove_step(*, actor: Actor, version: FormVersion, step_key: str) -> Change:
    """Refused for the only step, and while conditions or the fee elsewhere read its questions."""

    def apply(definition):
        s = _step(definition, step_key)
        items = d.steps(definition)
        if len(items) == 1:
            raise _error(Code.LAST_ONE, _("A form keeps at least one step."))
        own = {f.get("key") for f in s.get("fields") or []}
        users = [
            u
            for f in s.get("fields") or []
            for u in d.dependents(definition, f["key"])
            if not (u[0] == "field" and d.split(u[1])[0] in own)
        ]
        if users:
            raise _in_use(definition, users)
        items.remove(s)
        return "steps", _("The step “%(step)s” was removed.") % {"step": localize(s.get("title"))}

    return _change(actor, version, "step_removed", apply)


def set_step_condition(
    *, actor: Actor, version: FormVersion, step_key: str, raw: Mapping
) -> Change:
    """ "Skip this step if …": `field` (none removes the condition), `op`, `value`."""

    def apply(definition):
        s = _step(definition, step_key)
        rule = _condition(definition, d.fields_before(definition, None, step_key), raw)
        _put(s, "skip_if", rule)
        return f"step-{step_key}", _("The condition of the step “%(step)s” was saved.") % {
            "step": localize(s.get("title"))
        }

    return _change(actor, version, "step_condition", apply)


# -- fields ------------------------------------------------------------------------------------


def _kind(kind) -> str:
    if kind not in kinds():
        raise _error(Code.INVALID_TYPE, _("Choose a kind of question from the list."), "type")
    return kind


def add_field(
    *, actor: Actor, version: FormVersion, step_key: str, raw: Mapping, group: str = ""
) -> Change:
    """A new question at the end of a step (or of the repeating group `group`): `type`,
    `label_de`, `label_en`. Its key comes from the German label."""

    def apply(definition):
        kind = _kind(raw.get("type"))
        label = _label(raw, "label", "label_de")
        if group:
            parent = _field(definition, group)
            if parent.get("type") != "repeat" or d.split(group)[1]:
                raise _error(Code.INVALID_TYPE, _("Only a repeating group holds questions."))
            if kind == "repeat":
                raise _error(
                    Code.INVALID_TYPE, _("A repeating group cannot hold another one."), "type"
                )
            holder = parent.setdefault("fields", [])
            taken = {c.get("key") for c in holder}
        else:
            holder = _step(definition, step_key).setdefault("fields", [])
            taken = d.field_keys(definition)
        key = d.unique_key(d.slug_key(label["de"]), taken)
        holder.append(fieldedit.new_field(kind, label, key))
        path = f"{group}.{key}" if group else key
        return field_anchor(path), _("The question “%(label)s” was added.") % {"label": label["de"]}

    return _change(actor, version, "field_added", apply)


def change_field(*, actor: Actor, version: FormVersion, path: str, raw: Mapping) -> Change:
    """Everything the field page edits (`fieldedit.apply`); problems come keyed by input."""

    def apply(definition):
        _field(definition, path)
        new_path, problems = fieldedit.apply(definition, path, raw)
        if problems:
            raise ValidationError(
                {k: [ValidationError(v, code=Code.INVALID_TYPE)] for k, v in problems.items()}
            )
        return field_anchor(new_path), _("The question “%(label)s” was saved.") % {
            "label": _name(d.field(definition, new_path))
        }

    return _change(actor, version, "field_changed", apply)


def move_field(*, actor: Actor, version: FormVersion, path: str, direction: str) -> Change:
    """Up or down within its step (or group); from the first or last place of a step, into
    the step before or after it."""

    def apply(definition):
        f = _field(definition, path)
        holder, index, parent = d.locate(definition, path)
        if direction not in DIRECTIONS:
            raise _error(Code.INVALID_TYPE, _("The question cannot move further."))
        if not d.move(holder, index, direction):
            _to_neighbour_step(definition, path, f, direction, parent)
        return field_anchor(path), _("The question “%(label)s” was moved %(direction)s.") % {
            "label": _name(f),
            "direction": _("up") if direction == "up" else _("down"),
        }

    return _change(actor, version, "field_moved", apply)


def _to_neighbour_step(definition, path, f, direction, parent) -> None:
    items = d.steps(definition)
    s = d.step_of(definition, path)
    other = items.index(s) + (-1 if direction == "up" else 1)
    if parent is not None or not 0 <= other < len(items) or len(s["fields"]) == 1:
        raise _error(Code.INVALID_TYPE, _("The question cannot move further."))
    s["fields"].remove(f)
    target = items[other].setdefault("fields", [])
    if direction == "up":
        target.append(f)
    else:
        target.insert(0, f)


def remove_field(*, actor: Actor, version: FormVersion, path: str) -> Change:
    """Refused while a condition or the fee reads the question (the message names them), and
    for the only question of a step or group."""

    def apply(definition):
        f = _field(definition, path)
        holder, index, _parent = d.locate(definition, path)
        users = d.dependents(definition, path)
        if users:
            raise _in_use(definition, users, f)
        if len(holder) == 1:
            raise _error(
                Code.LAST_ONE,
                _("A step (or group) keeps at least one question. Remove the step instead."),
            )
        group, child = d.split(path)
        anchor = field_anchor(group) if child else f"step-{d.step_of(definition, path)['key']}"
        holder.pop(index)
        return anchor, _("The question “%(label)s” was removed.") % {"label": _name(f)}

    return _change(actor, version, "field_removed", apply)


def _in_use(definition: dict, users: list, f: dict | None = None) -> ValidationError:
    names = []
    for kind, name in users:
        if kind == "fee":
            names.append(_("the fee"))
        elif kind == "step":
            names.append(
                _("the step “%(step)s”") % {"step": localize(d.step(definition, name)["title"])}
            )
        else:
            names.append(_("“%(label)s”") % {"label": _name(d.field(definition, name))})
    message = _(
        "This cannot be removed: the conditions of %(users)s read it. Change those first."
    ) % {"users": ", ".join(names)}
    return _error(Code.FIELD_IN_USE, message)


def set_field_condition(
    *, actor: Actor, version: FormVersion, path: str, which: str, raw: Mapping
) -> Change:
    """ "Show this if …" (`which` = show_if) or "required if …" (require_if): `field` (none
    removes the condition), `op`, `value`."""
    if which not in ("show_if", "require_if"):
        raise _error(Code.INVALID_TYPE, _("There is no such condition."))

    def apply(definition):
        f = _field(definition, path)
        rule = _condition(definition, d.fields_before(definition, path), raw)
        _put(f, which, rule)
        return field_anchor(path), _("The condition of “%(label)s” was saved.") % {
            "label": _name(f)
        }

    return _change(actor, version, f"field_{which}", apply)


def _put(holder: dict, name: str, rule) -> None:
    if rule is None:
        holder.pop(name, None)
    else:
        holder[name] = rule


def _condition(definition: dict, candidates: list[dict], raw: Mapping) -> dict | None:
    key = str(raw.get("field") or "")
    if not key:
        return None
    source = next((f for f in candidates if f.get("key") == key and f.get("type") != "info"), None)
    if source is None:
        raise _error(Code.INVALID_TYPE, _("Choose a question asked before this one."), "field")
    op = str(raw.get("op") or "")
    if op not in cond.operators_for(source):
        raise _error(Code.INVALID_TYPE, _("Choose how to compare from the list."), "op")
    value, problem = cond.typed_value(source, op, str(raw.get("value") or ""))
    if problem:
        raise _error(Code.INVALID_TYPE, problem, "value")
    return cond.compile_condition(cond.Condition(key, op, value))


# -- fee and sign-in ---------------------------------------------------------------------------


def set_fee(*, actor: Actor, version: FormVersion, raw: Mapping) -> Change:
    """`kind` (none, fixed, by_answer, per_entry), `amount` (euros), `field`, `amount_<n>` per
    value of that question (by answer), `label_de`, `label_en`."""

    def apply(definition):
        fee = _fee(definition, raw)
        compiled = fee_kinds.compile_fee(fee)
        _put(definition, "fee", compiled)
        return "fee", _("The fee was saved.") if compiled else _("The form has no fee now.")

    return _change(actor, version, "fee", apply)


def _amount(raw: Mapping, name: str, required: bool = True) -> int | None:
    text = str(raw.get(name) or "").strip()
    if not text and not required:
        return None
    value = cents(text)
    if value is None:
        raise _error(Code.INVALID_TYPE, _("Enter an amount in euros, like 15,00."), name)
    return value


def _fee(definition: dict, raw: Mapping) -> fee_kinds.Fee:
    kind = raw.get("kind")
    label = fieldedit.texts(raw, "label")
    if kind == fee_kinds.NONE:
        return fee_kinds.Fee()
    if kind == fee_kinds.FIXED:
        return fee_kinds.Fee(kind, _amount(raw, "amount"), label=label)
    if kind not in (fee_kinds.BY_ANSWER, fee_kinds.PER_ENTRY):
        raise _error(Code.INVALID_TYPE, _("Choose a kind of fee from the list."), "kind")
    key = str(raw.get("field") or "")
    source = next((f for _s, f in d.top_fields(definition) if f.get("key") == key), None)
    wanted = {"repeat"} if kind == fee_kinds.PER_ENTRY else {"choice", "yesno", "declaration"}
    if source is None or source.get("type") not in wanted:
        raise _error(Code.INVALID_TYPE, _("Choose a question from the list."), "field")
    if kind == fee_kinds.PER_ENTRY:
        return fee_kinds.Fee(kind, _amount(raw, "amount"), key, label=label)
    per_value = {}
    for n, (value, _label_text) in enumerate(cond.value_choices(source)):
        amount = _amount(raw, f"amount_{n}", required=False)
        if amount is not None:
            typed, _problem = cond.typed_value(source, "is", value)
            per_value[typed] = amount
    return fee_kinds.Fee(kind, _amount(raw, "amount"), key, per_value, label)


def set_sign_in(*, actor: Actor, version: FormVersion, level: str, account: str) -> Change:
    """The sign-in the form needs: a level of assurance (none, low, substantial, high) and the
    kind of account ("" for either, person, business)."""

    def apply(definition):
        if level not in ORDER:
            raise _error(Code.INVALID_TYPE, _("Choose a level from the list."), "level")
        if account not in ("", *AccountKind.values):
            raise _error(Code.INVALID_TYPE, _("Choose a kind of account from the list."), "account")
        wanted = {"level": level} if level != ORDER[0] else {}
        if account:
            wanted["account"] = account
        _put(definition, "sign_in", wanted or None)
        return "sign-in", _("Who may apply was saved.")

    return _change(actor, version, "sign_in", apply)


# -- the expert view ---------------------------------------------------------------------------


def save_json(*, actor: Actor, version: FormVersion, text: str) -> Change:
    """The whole definition as JSON text (the expert view)."""

    def apply(definition):
        try:
            new = json.loads(text or "")
        except json.JSONDecodeError as exc:
            raise _error(
                Code.INVALID_JSON,
                _("This is not valid JSON (line %(line)s, column %(column)s): nothing was saved.")
                % {"line": exc.lineno, "column": exc.colno},
                "definition",
            ) from None
        if not isinstance(new, dict):
            raise _error(
                Code.INVALID_JSON, _("The definition is a JSON object { … }."), "definition"
            )
        definition.clear()
        definition.update(new)
        return "definition", _("The definition was saved.")

    return _change(actor, version, "json", apply)
