"""Types of the appointments API. IDs come from the one codec (`core.ids`)."""

from __future__ import annotations

import datetime as dt

import strawberry
import strawberry_django

from portalwerk.graphql.core import ids
from portalwerk.graphql.core.errors import error_type
from portalwerk.platform.appointments import models, schedule
from portalwerk.platform.appointments.errors import AppointmentErrorCode, NotFound


def local(value: dt.datetime | None) -> dt.datetime | None:
    """Times go out in the tenant's local time with its offset, as the free times do."""
    return value.astimezone(schedule.tz()) if value else None


def global_id(type_name: str, pk: int) -> strawberry.ID:
    return ids.encode(type_name, pk)


def pk_of(value: strawberry.ID, type_name: str) -> int:
    """The primary key inside a global ID of the expected type; anything else is "not found"."""
    try:
        return ids.decode_int(value, type_name)
    except ids.NotFound:
        raise NotFound() from None


AppointmentError = error_type("AppointmentError", AppointmentErrorCode)


@strawberry.type
class OfficeDuration:
    office_id: strawberry.ID
    office_name: str
    duration_minutes: int


@strawberry.type
class AppointmentService:
    id: strawberry.ID
    name: str
    description: str
    offered_at: list[OfficeDuration]


@strawberry.type
class AppointmentOffice:
    """A catalogue office that takes appointments (`slug` is its address in the catalogue)."""

    id: strawberry.ID
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

    id: strawberry.ID
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
class ClerkAppointment(ids.Node):
    """A row of the clerk's day view: with the citizen's contact data (staff only). Its
    queryset comes with counter and services loaded (`services.clerk.day_appointments`)."""

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
class AppointmentPayload:
    errors: list[AppointmentError] = strawberry.field(
        default_factory=list, description="Empty when the mutation succeeded."
    )
    appointment: Appointment | None = None
