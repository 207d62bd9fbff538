"""What office staff did with appointments goes to the audit trail. Who may do what is asked of
`portalwerk.platform.authz.capabilities` (seeing appointments marks an actor as acting for the
office; managing them lets them change appointments)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portalwerk.platform.appointments.models import Appointment
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
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


def _audit(actor: Actor, action: Action, appointment: Appointment | None, **detail) -> None:
    """Staff actions are recorded; a citizen's own booking is not staff access."""
    if _for_office(actor):
        record(actor, action, appointment, **detail)
