"""Helpers for the appointments tests: an office builder, a fixed "now", and a job runner that
executes the jobs deferred inside the test's own transaction."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from dataclasses import dataclass

from django.db import connection
from django.utils.text import slugify
from procrastinate.contrib.django import app

from portalwerk.platform.appointments.models import (
    BookableService,
    Counter,
    OfficeBookingPolicy,
    OfficeService,
    OpeningHours,
)
from portalwerk.platform.catalog.models import Office

# The personas' password from tests/conftest.py (a conftest cannot be imported by name).
PASSWORD = "Test-Passwort-2026!"
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# A Monday without holidays around it (NRW): 1 March 2027, 08:00.
NOW = dt.datetime(2027, 3, 1, 8, 0, tzinfo=BERLIN)


def at(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = (int(p) for p in hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BERLIN)


@dataclass
class Setup:
    office: Office
    counters: list[Counter]
    id_card: BookableService
    registration: BookableService
    fishing: BookableService


def make_office(
    *,
    name: str = "Bürgerbüro Mitte",
    counters: int = 2,
    hours: tuple[str, str] = ("08:00", "16:00"),
    lunch: tuple[str, str] | None = ("12:00", "13:00"),
    weekdays: range = range(5),
    granularity: int = 5,
    **policy,
) -> Setup:
    """A catalogue office that takes appointments (`policy`: booking rules other than the
    defaults), with two services on every counter and one more on the first."""
    office = Office.objects.create(
        slug=slugify(name),
        name_de=name,
        street="Marktplatz 1",
        postcode="12345",
        city="Musterstadt",
    )
    OfficeBookingPolicy.objects.create(office=office, granularity_minutes=granularity, **policy)
    office = Office.objects.select_related("booking_policy").get(pk=office.pk)
    id_card = BookableService.objects.create(name="ID card")
    registration = BookableService.objects.create(name="Residence registration")
    fishing = BookableService.objects.create(name="Fishing licence handover")
    OfficeService.objects.create(office=office, service=id_card, duration_minutes=20)
    OfficeService.objects.create(office=office, service=registration, duration_minutes=10)
    OfficeService.objects.create(office=office, service=fishing, duration_minutes=5)
    made = []
    for index in range(counters):
        counter = Counter.objects.create(office=office, name=f"Counter {index + 1}")
        counter.services.set([id_card, registration])
        made.append(counter)
    made[0].services.add(fishing)
    opens, closes = (dt.time.fromisoformat(h) for h in hours)
    for weekday in weekdays:
        OpeningHours.objects.create(
            office=office,
            weekday=weekday,
            opens=opens,
            closes=closes,
            break_starts=dt.time.fromisoformat(lunch[0]) if lunch else None,
            break_ends=dt.time.fromisoformat(lunch[1]) if lunch else None,
        )
    return Setup(office, made, id_card, registration, fishing)


def deferred_jobs(task_suffix: str = "") -> list[tuple[str, dict]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT task_name, args FROM public.procrastinate_jobs WHERE status = 'todo' "
            "AND task_name LIKE %s ORDER BY id",
            [f"%{task_suffix}"],
        )
        return [
            (name, args if isinstance(args, dict) else json.loads(args)) for name, args in cursor
        ]


def run_jobs(task_suffix: str = "", *, include_scheduled: bool = True) -> int:
    """Run the jobs deferred so far (they are invisible to a real worker until the test's
    transaction commits, which it never does), then drop them."""
    schema = connection.schema_name
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM public.procrastinate_jobs WHERE status = 'todo' AND task_name LIKE %s "
            + ("" if include_scheduled else "AND (scheduled_at IS NULL OR scheduled_at <= now()) ")
            + "RETURNING id, task_name, args",
            [f"%{task_suffix}"],
        )
        jobs = sorted(cursor.fetchall())
    for _id, name, args in jobs:
        args = args if isinstance(args, dict) else json.loads(args)
        app.tasks[name](**args)
    connection.set_schema(schema)
    return len(jobs)
