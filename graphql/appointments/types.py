"""Types of the appointments API. IDs are Relay global IDs ("AppointmentOffice:3", base64)."""

from __future__ import annotations

import datetime as dt

import strawberry
import strawberry_django
from django.core.exceptions import ValidationError
from strawberry import relay

from portalwerk.graphql.core.errors import FieldError, Payload, field_errors
from portalwerk.platform.appointments import models, schedule
from portalwerk.platform.appointments.errors import NotFound


def local(value: dt.datetime | None) -> dt.datetime | None:
    """Times go out in the tenant's local time with its offset, as the free times do."""
    return value.astimezone(schedule.tz()) if value else None


def global_id(type_name: str, pk: int) -> relay.GlobalID:
    return relay.GlobalID(type_name, str(pk))


def pk_of(value: relay.GlobalID, type_name: str) -> int:
    """The primary key inside a global ID of the expected type; anything else is "not found"."""
    if value.type_name != type_name:
        raise NotFound()
    try:
        return int(value.node_id)
    except ValueError:
        raise NotFound() from None


# the services' field names → the Python names of the API's inputs and arguments
SERVICE_FIELDS = {"services": "service_ids", "office": "office_id"}


def errors_of(exc: ValidationError, input_type: type | None = None) -> list[FieldError]:
    """`errors { field code message }` through the core, fields named as the client sent them."""
    return field_errors(exc, input_type=input_type, fields=SERVICE_FIELDS)


@strawberry.type
class OfficeDuration:
    office_id: relay.GlobalID
    office_name: str
    duration_minutes: int


@strawberry.type
class AppointmentService:
    id: relay.GlobalID
    name: str
    description: str
    offered_at: list[OfficeDuration]


@strawberry.type
class AppointmentOffice:
    """A catalogue office that takes appointments (`slug` is its address in the catalogue)."""

    id: relay.GlobalID
    slug: str
    name: str
    address: str
    accessibility: str
    granularity_minutes: int


@strawberry.type
class AvailableTime:
    starts_at: dt.datetime
    capacity: int


@strawberry.type
class Appointment:
    """What the citizen who holds the appointment may see."""

    id: relay.GlobalID
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    held_until: dt.datetime | None
    office_name: str
    counter_name: str
    services: list[str]

    @classmethod
    def of(cls, appointment) -> Appointment:
        return cls(
            id=global_id("Appointment", appointment.pk),
            status=appointment.status,
            starts_at=local(appointment.starts_at),
            ends_at=local(appointment.ends_at),
            held_until=local(appointment.held_until),
            office_name=appointment.office.name,
            counter_name=appointment.counter.name,
            services=[item.service.name for item in appointment.items.all()],
        )


@strawberry_django.type(models.Appointment, name="ClerkAppointment")
class ClerkAppointment(relay.Node):
    """A row of the clerk's day view: with the citizen's contact data (staff only). Its
    queryset comes with counter and services loaded (`backoffice.day_appointments`)."""

    status: str
    name: str
    email: str
    phone: str

    @strawberry_django.field
    def starts_at(self, root: models.Appointment) -> dt.datetime:
        return local(root.starts_at)

    @strawberry_django.field
    def ends_at(self, root: models.Appointment) -> dt.datetime:
        return local(root.ends_at)

    @strawberry_django.field
    def counter_name(self, root: models.Appointment) -> str:
        return root.counter.name

    @strawberry_django.field
    def services(self, root: models.Appointment) -> list[str]:
        return [item.service.name for item in root.items.all()]


@strawberry.type
class AppointmentPayload(Payload):
    appointment: Appointment | None = None
