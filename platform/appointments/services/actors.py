"""The audit trail of what office staff did with appointments. Who may do what is asked of
`portalwerk.platform.authz.capabilities` (seeing appointments marks an actor as acting for the
office; managing them lets them change appointments)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portalwerk.platform.appointments.models import Appointment, AuditEntry
from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import Actor


def _for_office(actor: Actor) -> bool:
    """Staff acting for the office (a clerk booking at the counter), not a citizen."""
    return capabilities.can_see_appointments(actor)


def _require_manager(actor: Actor) -> None:
    capabilities.require(
        actor,
        capabilities.Capability.MANAGE_APPOINTMENTS,
        _("You may not change appointments."),
    )


def _audit(actor: Actor, action: str, appointment: Appointment | None, **detail) -> None:
    if _for_office(actor):
        AuditEntry.objects.create(
            actor=actor.label, action=action, appointment=appointment, detail=detail
        )
