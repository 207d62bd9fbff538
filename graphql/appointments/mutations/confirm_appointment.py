from __future__ import annotations

import strawberry
from strawberry.types import Info

from portalwerk.graphql.appointments.mutations.common import actor_of, find_appointment, reload
from portalwerk.graphql.appointments.types import Appointment, AppointmentPayload
from portalwerk.graphql.core.mutations import mutation
from portalwerk.graphql.core.permissions import AllowAnonymous
from portalwerk.platform.appointments import services


@mutation(permission=AllowAnonymous, atomic=False)  # the service retries deadlocks itself
def confirm_appointment(
    info: Info, id: strawberry.ID | None = None, token: str | None = None
) -> AppointmentPayload:
    """By id for its signed-in owner (or a clerk), or by the token from the mail."""
    appointment = find_appointment(info, appointment_id=id, token=token, purpose="confirm")
    appointment = services.confirm_appointment(
        actor=actor_of(info, token=token), appointment=appointment
    )
    return AppointmentPayload(appointment=Appointment.of(reload(appointment)))
