"""Who acts on an appointment (citizen, clerk, clerk who may only read), and the audit trail
of what clerks did."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portalwerk.platform.appointments.errors import Code, error
from portalwerk.platform.appointments.models import Appointment, AuditEntry


def _authenticated(actor) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False))


def is_clerk(actor) -> bool:
    return _authenticated(actor) and bool(getattr(actor, "is_clerk", False))


def may_process(actor) -> bool:
    """Clerks who may change appointments (readers may only look)."""
    from portalwerk.platform.accounts.models import Role

    return is_clerk(actor) and actor.role != Role.CLERK_READER


def _actor_name(actor) -> str:
    if _authenticated(actor):
        return actor.email
    return str(actor or "citizen")


def _require_processor(actor) -> None:
    if not may_process(actor):
        raise error(_("You may not change appointments."), Code.PERMISSION_DENIED)


def _audit(actor, action: str, appointment: Appointment | None, **detail) -> None:
    if is_clerk(actor):
        AuditEntry.objects.create(
            actor=_actor_name(actor), action=action, appointment=appointment, detail=detail
        )
