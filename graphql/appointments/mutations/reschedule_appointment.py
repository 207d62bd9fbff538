from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from portalwerk.graphql.appointments.mutations.common import actor_of, find_appointment, reload
from portalwerk.graphql.appointments.queries import client_ip
from portalwerk.graphql.appointments.types import Appointment, AppointmentPayload
from portalwerk.graphql.core.mutations import mutation
from portalwerk.graphql.core.permissions import AllowAnonymous
from portalwerk.platform.appointments import limits, services


# not in a caller transaction: rate-limit hits count on refusal, and the service retries deadlocks
@mutation(permission=AllowAnonymous, atomic=False)
def reschedule_appointment(
    info: Info,
    starts_at: dt.datetime,
    id: strawberry.ID | None = None,
    token: str | None = None,
) -> AppointmentPayload:
    """Move a confirmed appointment, by id (owner or clerk) or by the token from the mail."""
    appointment = find_appointment(info, appointment_id=id, token=token, purpose="manage")
    limits.check_booking(ip=client_ip(info), email=appointment.email)
    appointment = services.reschedule_appointment(
        actor=actor_of(info, token=token), appointment=appointment, starts_at=starts_at
    )
    return AppointmentPayload(appointment=Appointment.of(reload(appointment)))
