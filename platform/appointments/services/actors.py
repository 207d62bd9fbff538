"""Who acts on an appointment (citizen, clerk, clerk who may only read), and the audit trail
of what clerks did."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portalwerk.platform.appointments.errors import Code, error
from portalwerk.platform.appointments.models import Appointment
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record


def _authenticated(actor) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False))


def is_clerk(actor) -> bool:
    return _authenticated(actor) and bool(getattr(actor, "is_clerk", False))


def may_process(actor) -> bool:
    """Clerks who may change appointments (readers may only look)."""
    from portalwerk.platform.accounts.models import Role

    return is_clerk(actor) and actor.role != Role.CLERK_READER


def _require_processor(actor) -> None:
    if not may_process(actor):
        raise error(_("You may not change appointments."), Code.PERMISSION_DENIED)


def _audit(actor, action: Action, appointment: Appointment | None, **detail) -> None:
    """Clerks' actions are recorded; a citizen's own booking is not staff access."""
    if is_clerk(actor):
        record(actor, action, appointment, **detail)
