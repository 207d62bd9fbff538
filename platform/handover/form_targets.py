"""Where one form's submissions go, seen from the form (the form builder links here): the
tenant's targets, each for every form, for this one or not, and the service that chooses them.

Targets belong to forms, not to versions: a change applies to every submission from now on,
whichever version it was made with. Choosing is managing targets (tenant admins); whoever may
build forms sees the choice."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.authz.capabilities import (
    can_manage_settings,
    can_manage_targets,
    permission_denied,
)
from portalwerk.platform.forms.models import Form
from portalwerk.platform.handover.errors import HandoverErrorCode
from portalwerk.platform.handover.models import Target


def form_for(actor: Actor, form_id) -> Form:
    """The form, for someone who may build forms or manage targets; "not found" otherwise."""
    try:
        pk = int(form_id)
    except (TypeError, ValueError):
        pk = -1
    form = Form.objects.filter(pk=pk).first() if 0 < pk < 2**63 else None
    if form is None or not (can_manage_settings(actor) or can_manage_targets(actor)):
        raise HandoverErrorCode.NOT_FOUND.error(_("This form does not exist."))
    return form


def targets_for_form(form: Form) -> list[dict]:
    """Every target of the tenant, with whether this form's submissions go there."""
    chosen = set(form.handover_targets.values_list("pk", flat=True))
    return [
        {
            "target": t,
            "always": t.all_forms,
            "chosen": t.all_forms or t.pk in chosen,
        }
        for t in Target.objects.order_by("name", "pk")
    ]


@transaction.atomic
def set_form_targets(*, actor: Actor, form_id, target_ids: Iterable) -> Form:
    """This form goes to exactly the chosen targets (besides those for every form)."""
    if not can_manage_targets(actor):
        raise permission_denied()
    form = form_for(actor, form_id)
    wanted = {str(i) for i in target_ids}
    targets = list(Target.objects.select_for_update().order_by("pk"))
    known = {str(t.pk) for t in targets}
    if not wanted <= known:
        raise HandoverErrorCode.NOT_FOUND.error(_("Choose targets from the list."), "targets")
    for target in targets:
        if target.all_forms:
            continue
        has = target.forms.filter(pk=form.pk).exists()
        if (str(target.pk) in wanted) == has:
            continue
        if has:
            target.forms.remove(form)
        else:
            target.forms.add(form)
        record(actor, Action.TARGET_CHANGED, target, forms=target.forms.count())
    return form
