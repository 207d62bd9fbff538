"""Queries of the appointments API: services, free days and times (anonymous), and the clerk's
day view."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
import strawberry_django
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from strawberry.types import Info

from portalwerk.graphql.appointments.types import (
    AppointmentOffice,
    AppointmentService,
    AvailableTime,
    ClerkAppointment,
    OfficeDuration,
    global_id,
    pk_of,
)
from portalwerk.graphql.core.pagination import Connection
from portalwerk.graphql.core.permissions import AllowAnonymous, IsClerk
from portalwerk.platform.appointments import access, models, schedule, services
from portalwerk.platform.appointments.errors import NotFound
from portalwerk.platform.appointments.models import BookableService, OfficeService
from portalwerk.platform.client import client_ip as request_ip

MAX_DAYS = 62


def client_ip(info: Info) -> str:
    return request_ip(info.context.request, "unknown")


def module_on(info: Info) -> None:
    """Tenants without the appointments module have nothing to show: "not found"."""
    tenant = getattr(info.context.request, "tenant", None)
    if tenant is not None and "appointments" not in (tenant.modules or []):
        raise NotFound()


def _office(office_id: strawberry.ID, info: Info | None = None):
    if info is not None:
        module_on(info)
    return access.get_office(pk_of(office_id, "AppointmentOffice"))


def _service_pks(service_ids: list[strawberry.ID]) -> list[int]:
    return [pk_of(value, "AppointmentService") for value in service_ids]


def _search_limit(info: Info) -> None:
    services.check_search(actor=info.context.request.actor, client_ip=client_ip(info))


@strawberry.type
class AppointmentQuery:
    @strawberry.field(permission_classes=[AllowAnonymous])
    def appointment_services(self, info: Info) -> list[AppointmentService]:
        """Services bookable online, with the offices offering them (2 queries)."""
        try:
            module_on(info)
        except NotFound:
            return []
        services = BookableService.objects.filter(is_active=True).prefetch_related(
            Prefetch(
                "office_services",
                queryset=OfficeService.objects.filter(
                    office__booking_policy__is_active=True
                ).select_related("office"),
            )
        )
        return [
            AppointmentService(
                id=global_id("AppointmentService", s.pk),
                name=s.name,
                description=s.description,
                offered_at=[
                    OfficeDuration(
                        office_id=global_id("AppointmentOffice", os.office_id),
                        office_name=os.office.name,
                        duration_minutes=os.duration_minutes,
                    )
                    for os in s.office_services.all()
                ],
            )
            for s in services
            if s.office_services.all()
        ]

    @strawberry.field(permission_classes=[AllowAnonymous])
    def appointment_office(self, info: Info, office_id: strawberry.ID) -> AppointmentOffice | None:
        try:
            office = _office(office_id, info)
        except NotFound:
            return None
        return AppointmentOffice(
            id=global_id("AppointmentOffice", office.pk),
            slug=office.slug,
            name=office.name,
            address=office.address,
            accessibility=office.accessibility,
            granularity_minutes=office.booking_policy.granularity_minutes,
        )

    @strawberry.field(permission_classes=[AllowAnonymous])
    def available_days(
        self,
        info: Info,
        service_ids: list[strawberry.ID],
        office_id: strawberry.ID,
        start: Annotated[dt.date | None, strawberry.argument(name="from")] = None,
        to: dt.date | None = None,
    ) -> list[dt.date]:
        """Days with at least one free time (at most 62 days per request)."""
        try:
            office = _office(office_id, info)
        except NotFound:
            return []
        _search_limit(info)
        start = start or timezone.localdate()
        end = min(
            to or start + dt.timedelta(days=MAX_DAYS - 1), start + dt.timedelta(days=MAX_DAYS - 1)
        )
        return schedule.available_days(office, _service_pks(service_ids), start, end)

    @strawberry.field(permission_classes=[AllowAnonymous])
    def available_times(
        self,
        info: Info,
        service_ids: list[strawberry.ID],
        office_id: strawberry.ID,
        date: dt.date,
    ) -> list[AvailableTime]:
        try:
            office = _office(office_id, info)
        except NotFound:
            return []
        _search_limit(info)
        return [
            AvailableTime(starts_at=free.starts_at, capacity=free.capacity)
            for free in schedule.available_times(office, _service_pks(service_ids), date)
        ]

    @strawberry_django.connection(Connection[ClerkAppointment], permission_classes=[IsClerk])
    def appointments_of_day(
        self, info: Info, office_id: strawberry.ID, date: dt.date
    ) -> QuerySet[models.Appointment]:
        """The clerk's day view: the day's appointments of an office, by time (a page is
        4 queries, whatever its length)."""
        try:
            office = access.get_office(pk_of(office_id, "AppointmentOffice"), include_inactive=True)
        except (NotFound, ValidationError):
            return models.Appointment.objects.none()
        return services.view_day(actor=info.context.request.actor, office=office, day=date)
