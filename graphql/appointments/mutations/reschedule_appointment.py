from __future__ import annotations

import datetime as dt

import strawberry
from django.core.exceptions import ValidationError
from strawberry import relay
from strawberry.types import Info

from portalwerk.graphql.appointments.mutations.common import actor_of, find_appointment, reload
from portalwerk.graphql.appointments.queries import client_ip
from portalwerk.graphql.appointments.types import Appointment, AppointmentPayload, errors_of
from portalwerk.graphql.core.permissions import AllowAnonymous
from portalwerk.platform.appointments import services


@strawberry.mutation(permission_classes=[AllowAnonymous])
def reschedule_appointment(
    info: Info,
    starts_at: dt.datetime,
    id: relay.GlobalID | None = None,
    token: str | None = None,
) -> AppointmentPayload:
    """Move a confirmed appointment, by id (owner or clerk) or by the token from the mail."""
    try:
        appointment = find_appointment(info, appointment_id=id, token=token, purpose="manage")
        appointment = services.reschedule_appointment(
            actor=actor_of(info, token=token),
            appointment=appointment,
            starts_at=starts_at,
            client_ip=client_ip(info),
        )
    except ValidationError as exc:
        return AppointmentPayload(errors=errors_of(exc))
    return AppointmentPayload(appointment=Appointment.of(reload(appointment)))
