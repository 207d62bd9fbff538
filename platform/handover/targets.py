"""What tenant admins do with targets: add one (a backend and its settings), change it, switch
it off and on, check its settings, and send it a made-up test parcel.

A backend's `config_form` validates the settings; what is stored is its cleaned data. Secret
fields (`secret_fields`) are never shown again: their inputs stay empty, and left empty on a
change they keep the stored value."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.authz.capabilities import can_manage_targets, permission_denied
from portalwerk.platform.forms.models import Form
from portalwerk.platform.handover.backends import (
    DeliveryError,
    HandoverBackend,
    Problem,
    describe,
)
from portalwerk.platform.handover.errors import HandoverErrorCode
from portalwerk.platform.handover.models import Target
from portalwerk.platform.handover.queries import get_target_for
from portalwerk.platform.handover.registry import backends
from portalwerk.platform.handover.sample_parcel import sample_parcel
from portalwerk.platform.plugins import PluginUnavailable

logger = logging.getLogger(__name__)

MAX_NAME = 120


def backend_choices() -> list[tuple[str, str]]:
    """(name, label) of every backend enabled here, the ones a tenant admin may choose."""
    return [(cls.name, str(cls.label or cls.name)) for cls in backends.enabled_classes()]


def backend_named(name: str) -> HandoverBackend:
    try:
        return backends.get(name)
    except PluginUnavailable:
        raise HandoverErrorCode.BACKEND_UNAVAILABLE.error(
            _("This kind of target is not available here."), field="backend"
        ) from None


def config_form_for(
    backend: HandoverBackend, data: Mapping | None = None, *, target=None, prefix=None
) -> forms.Form:
    """The backend's settings form, bound to `data` when given. For a target being changed:
    its stored settings as initial values, except secrets, which left empty keep the stored
    value. A secret's input never carries its value back to the page."""
    secrets = [name for name in backend.secret_fields if target and target.config.get(name)]
    if data is not None and secrets:
        data = data.copy()
        for name in secrets:
            key = f"{prefix}-{name}" if prefix else name
            if not data.get(key):
                data[key] = target.config[name]
    initial = None
    if target is not None:
        initial = {k: v for k, v in target.config.items() if k not in backend.secret_fields}
    form = backend.config_form(data=data, initial=initial, prefix=prefix)
    for field in form.fields.values():
        if isinstance(field.widget, forms.URLInput):
            # the page shows a mistyped address back; in an <input type=url> that is invalid HTML
            field.widget = forms.TextInput(
                attrs={**field.widget.attrs, "inputmode": "url", "spellcheck": "false"}
            )
    for name in backend.secret_fields:
        field = form.fields.get(name)
        if field is None:
            continue
        field.widget = forms.PasswordInput(
            render_value=False, attrs={**field.widget.attrs, "autocomplete": "new-password"}
        )
        if name in secrets:
            field.required = False
            field.help_text = _("Stored and not shown. Leave empty to keep it.")
    return form


def _clean_config(backend: HandoverBackend, config: Mapping, target=None) -> dict:
    form = config_form_for(backend, config, target=target)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    # what is stored is JSON: dates, decimals and the like as their text
    return json.loads(json.dumps(form.cleaned_data, cls=DjangoJSONEncoder))


def _clean_target(name: str, form_ids: Iterable) -> tuple[str, list[Form]]:
    errors = {}
    name = " ".join(str(name or "").split())
    if not name:
        errors["name"] = [
            HandoverErrorCode.NAME_REQUIRED.error(_("Enter a name for the target."), field=None)
        ]
    elif len(name) > MAX_NAME:
        errors["name"] = [
            HandoverErrorCode.NAME_REQUIRED.error(
                _("The name may be at most %(max)d characters long.") % {"max": MAX_NAME},
                field=None,
            )
        ]
    wanted = {str(i) for i in form_ids}
    chosen = list(Form.objects.filter(pk__in=[i for i in wanted if i.isdigit() and len(i) < 18]))
    if len(chosen) != len(wanted):
        errors["forms"] = [
            HandoverErrorCode.UNKNOWN_FORM.error(_("Choose forms from the list."), field=None)
        ]
    if errors:
        raise ValidationError(errors)
    return name, chosen


def _manager(actor: Actor) -> None:
    if not can_manage_targets(actor):
        raise permission_denied()


def _errors_together(*checks) -> list:
    """Run each check; raise all their ValidationErrors together, or return their results."""
    results, errors = [], {}
    for check in checks:
        try:
            results.append(check())
        except ValidationError as exc:
            for field, field_errors in exc.update_error_dict({}).items():
                errors.setdefault(field, []).extend(field_errors)
    if errors:
        raise ValidationError(errors)
    return results


@transaction.atomic
def add_target(
    *,
    actor: Actor,
    backend: str,
    name: str,
    config: Mapping,
    all_forms: bool = False,
    form_ids: Iterable = (),
) -> Target:
    _manager(actor)
    plugin = backend_named(backend)
    (name, chosen), cleaned = _errors_together(
        lambda: _clean_target(name, form_ids), lambda: _clean_config(plugin, config)
    )
    target = Target.objects.create(
        name=name, backend=plugin.name, config=cleaned, all_forms=bool(all_forms)
    )
    target.forms.set(chosen)
    record(actor, Action.TARGET_ADDED, target, backend=plugin.name, forms=len(chosen))
    return target


@transaction.atomic
def change_target(
    *,
    actor: Actor,
    target_id,
    name: str,
    config: Mapping,
    all_forms: bool = False,
    form_ids: Iterable = (),
) -> Target:
    """The backend stays; the settings are validated again (secrets left empty are kept)."""
    target = get_target_for(actor, target_id, for_update=True)
    plugin = backend_named(target.backend)
    (name, chosen), cleaned = _errors_together(
        lambda: _clean_target(name, form_ids), lambda: _clean_config(plugin, config, target)
    )
    changed = sorted(
        k for k in set(cleaned) | set(target.config) if cleaned.get(k) != target.config.get(k)
    )
    target.name, target.config, target.all_forms = name, cleaned, bool(all_forms)
    target.save(update_fields=["name", "config", "all_forms"])
    target.forms.set(chosen)
    record(actor, Action.TARGET_CHANGED, target, settings=changed, forms=len(chosen))
    return target


def _switch(actor: Actor, target_id, on: bool) -> Target:
    target = get_target_for(actor, target_id, for_update=True)
    if target.is_active != on:
        target.is_active = on
        target.save(update_fields=["is_active"])
        record(actor, Action.TARGET_ACTIVATED if on else Action.TARGET_DEACTIVATED, target)
    return target


@transaction.atomic
def deactivate_target(*, actor: Actor, target_id) -> Target:
    """New submissions no longer go to the target; deliveries already on their way still do.
    A target is never deleted, so every delivery keeps saying where it went."""
    return _switch(actor, target_id, False)


@transaction.atomic
def activate_target(*, actor: Actor, target_id) -> Target:
    return _switch(actor, target_id, True)


def check_target(*, actor: Actor, target_id) -> list[str]:
    """What the backend finds wrong with the target's settings (it may try the network), in
    sentences; empty when it looks fine."""
    target = get_target_for(actor, target_id)
    plugin = backend_named(target.backend)
    try:
        problems = [str(p) for p in plugin.check_target(target.config)]
    except Exception:
        logger.exception("check_target of backend %s failed", target.backend)
        problems = [describe(Problem.INTERNAL)]
    record(actor, Action.TARGET_CHECKED, target, problems=len(problems))
    return problems


@dataclass(frozen=True)
class TestOutcome:
    ok: bool
    message: str  # in plain words, in the actor's language
    detail: str = ""  # technical (an HTTP status, a fault string)
    receiver_reference: str = ""
    problem: str = ""


def send_test(*, actor: Actor, target_id) -> TestOutcome:
    """Deliver a made-up parcel (`test=True`, nobody's data) to the target now, without the
    outbox, and say what came of it. The receiver is asked to store it like any parcel."""
    target = get_target_for(actor, target_id)
    plugin = backend_named(target.backend)
    try:
        result = plugin.deliver(sample_parcel(target, key=str(uuid.uuid4())), target.config)
        outcome = TestOutcome(
            ok=True,
            message=_("The test application was delivered."),
            receiver_reference=str(getattr(result, "receiver_reference", "") or "")[:200],
        )
    except DeliveryError as error:
        outcome = TestOutcome(
            ok=False, message=describe(error.problem), detail=error.detail, problem=error.problem
        )
    except Exception as error:  # a fault of the backend's: the admin is told, not shown a 500
        logger.exception("send_test of backend %s failed", target.backend)
        outcome = TestOutcome(
            ok=False,
            message=describe(Problem.INTERNAL),
            detail=type(error).__name__,
            problem=Problem.INTERNAL,
        )
    record(actor, Action.TARGET_TESTED, target, ok=outcome.ok, problem=outcome.problem)
    return outcome
