"""No double booking, proven with real concurrent connections (one per thread, committed data).

These tests run without a wrapping transaction (`live_db`) and clean up what they made.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter as Tally

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.appointments import services
from portalwerk.platform.appointments.models import (
    Appointment,
    BookableService,
    Slot,
    Status,
)
from portalwerk.platform.audit.models import Entry as AuditEntry
from portalwerk.platform.authz.actors import anonymous, from_user
from portalwerk.platform.catalog.models import Office
from portalwerk.tenants.models import Tenant
from tests.helpers.appointments import NOW, at, make_office

WEDNESDAY = dt.date(2027, 3, 3)
THREADS = 60


@pytest.fixture
def alpha(live_db):
    tenant = Tenant.objects.get(slug="alpha")
    yield tenant
    with schema_context(tenant.schema_name):
        AuditEntry.objects.all().delete()
        Appointment.objects.all().delete()
        Office.objects.filter(booking_policy__isnull=False).delete()
        BookableService.objects.all().delete()
        User.objects.filter(email="race-clerk@alpha.example").delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs WHERE task_name LIKE '%appointments%'")


@pytest.fixture
def race_clerk(alpha):
    with schema_context(alpha.schema_name):
        return User.objects.create_user(
            "race-clerk@alpha.example", "x" * 12, role=Role.CLERK_PROCESSOR
        )


def race(schema: str, calls) -> list[object]:
    """Run each call in its own thread with its own database connection, all released at once.
    Returns each call's result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            connection.set_schema(schema)
            connection.ensure_connection()
            barrier.wait(timeout=60)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the result under test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def error_codes(results) -> Tally:
    tally = Tally()
    for result in results:
        if isinstance(result, ValidationError):
            tally.update(
                e.code
                for e in (
                    result.error_list
                    if not hasattr(result, "error_dict")
                    else [x for v in result.error_dict.values() for x in v]
                )
            )
        elif isinstance(result, Exception):
            tally[type(result).__name__] += 1
    return tally


def overlapping_bookings(schema: str) -> int:
    with schema_context(schema), connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM appointments_appointment a
            JOIN appointments_appointment b
              ON a.counter_id = b.counter_id AND a.id < b.id
             AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
            WHERE a.status IN ('held', 'confirmed') AND b.status IN ('held', 'confirmed')
            """
        )
        return cursor.fetchone()[0]


def test_many_citizens_racing_for_the_last_capacity_get_exactly_that(alpha, race_clerk):
    # given an office with 3 counters whose 09:00 is booked on 2 of them
    with schema_context(alpha.schema_name):
        setup = make_office(counters=3)
        for name in ("first", "second"):
            services.book_on_behalf(
                actor=from_user(race_clerk),
                office=setup.office,
                service_ids=[setup.id_card.id],
                starts_at=at(WEDNESDAY, "09:00"),
                name=name,
                now=NOW,
            )

    # when 60 citizens on 60 connections hold 09:00 at the same moment
    def attempt(n):
        return lambda: services.hold_appointment(
            actor=anonymous(),
            office=setup.office,
            service_ids=[setup.id_card.id],
            starts_at=at(WEDNESDAY, "09:00"),
            name=f"Citizen {n}",
            email=f"citizen{n}@example.org",
            now=NOW,
        )

    results = race(alpha.schema_name, [attempt(n) for n in range(THREADS)])

    # then exactly one got the last counter, every other one was told the time is taken
    won = [r for r in results if isinstance(r, Appointment)]
    assert len(won) == 1, error_codes(results)
    assert error_codes(results) == Tally({"slot_taken": THREADS - 1})
    with schema_context(alpha.schema_name):
        active = Appointment.objects.filter(
            office=setup.office, starts_at=at(WEDNESDAY, "09:00"), status__in=["held", "confirmed"]
        )
        assert active.count() == 3
        assert len(set(active.values_list("counter", flat=True))) == 3
    assert overlapping_bookings(alpha.schema_name) == 0


def test_a_double_click_books_once(alpha):
    # given a free office
    with schema_context(alpha.schema_name):
        setup = make_office(counters=3)

    # when the same citizen's request arrives 20 times at once
    def click():
        return services.hold_appointment(
            actor=anonymous(),
            office=setup.office,
            service_ids=[setup.registration.id],
            starts_at=at(WEDNESDAY, "10:00"),
            name="Dora Doppelklick",
            email="dora@example.org",
            now=NOW,
        )

    results = race(alpha.schema_name, [click for _ in range(20)])

    # then there is one hold, and every click was answered with it
    assert error_codes(results) == Tally()
    assert len({r.pk for r in results}) == 1
    with schema_context(alpha.schema_name):
        assert Appointment.objects.filter(email="dora@example.org").count() == 1
        assert Slot.objects.filter(appointment__isnull=False).count() == 2


def test_a_booking_never_lands_on_a_day_a_clerk_is_closing(alpha, race_clerk):
    # given an office with 3 counters, and 3 rounds of 30 bookings racing one closure each
    with schema_context(alpha.schema_name):
        setup = make_office(counters=3)
    for round_ in range(3):
        day = WEDNESDAY + dt.timedelta(days=round_)

        def book(n, day=day):
            hour, minute = divmod(8 * 60 + (n % 10) * 15, 60)
            return services.hold_appointment(
                actor=anonymous(),
                office=setup.office,
                service_ids=[setup.registration.id],
                starts_at=at(day, f"{hour:02}:{minute:02}"),
                name=f"Citizen {n}",
                email=f"r{day:%d}-{n}@example.org",
                now=NOW,
            )

        def close(day=day):
            return services.close_office_day(
                actor=from_user(race_clerk), office=setup.office, day=day
            )

        calls = [lambda n=n: book(n) for n in range(30)]
        calls.insert(15, close)
        results = race(alpha.schema_name, calls)

        # then the closure succeeded, every booking was refused or cancelled by it
        assert isinstance(results[15], list), results[15]
        codes = error_codes(results)
        assert set(codes) <= {"not_open", "slot_taken"}, codes
        with schema_context(alpha.schema_name):
            on_that_day = Appointment.objects.filter(
                starts_at__gte=at(day, "00:00"),
                starts_at__lt=at(day + dt.timedelta(days=1), "00:00"),
            )
            assert not on_that_day.filter(status__in=["held", "confirmed"]).exists()
            booked = {r.pk for r in results if isinstance(r, Appointment)}
            cancelled = {a.pk for a in results[15]}
            assert booked == cancelled
            assert set(on_that_day.values_list("status", flat=True)) <= {Status.CANCELLED}
