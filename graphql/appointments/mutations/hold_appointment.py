from __future__ import annotations

import datetime as dt

import strawberry
from django.utils import translation
from strawberry.types import Info

from portalwerk.graphql.appointments.mutations.common import reload
from portalwerk.graphql.appointments.queries import client_ip, module_on
from portalwerk.graphql.appointments.types import (
    Appointment,
    AppointmentPayload,
    pk_of,
)
from portalwerk.graphql.core.mutations import mutation
from portalwerk.graphql.core.permissions import AllowAnonymous
from portalwerk.platform.appointments import access, limits, services


@strawberry.input
class HoldAppointmentInput:
    service_ids: list[strawberry.ID]
    office_id: strawberry.ID
    starts_at: dt.datetime
    name: str
    email: str = ""
    phone: str = ""


# the services' field names -> the input's; not in a caller transaction: rate-limit hits count
# on refusal, and the service retries deadlocks itself
@mutation(
    permission=AllowAnonymous,
    fields={"services": "service_ids", "office": "office_id"},
    atomic=False,
)
def hold_appointment(info: Info, input: HoldAppointmentInput) -> AppointmentPayload:
    """Hold a time. Anonymous citizens confirm by the link in the mail; signed-in citizens call
    confirmAppointment with the id."""
    request = info.context.request
    limits.check_booking(
        ip=client_ip(info), email=input.email or getattr(request.user, "email", "")
    )
    module_on(info)
    office = access.get_office(pk_of(input.office_id, "AppointmentOffice"))
    appointment = services.hold_appointment(
        actor=request.actor,
        office=office,
        service_ids=[pk_of(s, "AppointmentService") for s in input.service_ids],
        starts_at=input.starts_at,
        name=input.name,
        email=input.email,
        phone=input.phone,
        language=translation.get_language() or "de",
    )
    return AppointmentPayload(appointment=Appointment.of(reload(appointment)))
