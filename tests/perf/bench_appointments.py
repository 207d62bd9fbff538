"""Appointments: `slots_search_60d_ms` and `booking_race_100_clients` (make bench).

Each number comes with a baseline measured in the same run on the same machine:
- slots_search_60d_ms: free days 60 days ahead, 10 counters, 5-minute grid, 2,000 existing
  bookings; target < 50 ms. Baseline `slots_search_raw_read_ms`: one raw query reading the taken
  slot rows of that range, the least any search over stored bookings must do.
- booking_race_100_clients: 100 clients, each on its own connection, book 5 times at random
  times of one day (15-minute service, 10 counters): bookings made, overbookings (must be 0),
  bookings per second. Baseline `raw_insert_per_s`: the same rows (appointment, item, slot rows)
  inserted as plain SQL by 100 connections, without any check.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import threading
import time

from .registry import Run, bench

SEARCH_COUNTERS = 10
SEARCH_BOOKINGS = 2000
CLIENTS = 100
ATTEMPTS = 5


def _median_ms(fn, repeat: int) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _office(counters: int, **policy):
    from portalwerk.platform.appointments.models import (
        BookableService,
        Counter,
        OfficeBookingPolicy,
        OfficeService,
        OpeningHours,
    )
    from portalwerk.platform.catalog.models import Office

    office = Office.objects.create(
        slug=f"bench-office-{Office.objects.count() + 1}",
        name_de="Bench office",
        street="Benchweg 1",
        postcode="12345",
        city="Benchstadt",
    )
    OfficeBookingPolicy.objects.create(office=office, granularity_minutes=5, **policy)
    office = Office.objects.select_related("booking_policy").get(pk=office.pk)
    service = BookableService.objects.create(name="Bench service")
    OfficeService.objects.create(office=office, service=service, duration_minutes=15)
    made = []
    for n in range(counters):
        counter = Counter.objects.create(office=office, name=f"Counter {n + 1}")
        counter.services.set([service])
        made.append(counter)
    for weekday in range(5):
        OpeningHours.objects.create(
            office=office,
            weekday=weekday,
            opens=dt.time(8),
            closes=dt.time(16),
            break_starts=dt.time(12),
            break_ends=dt.time(13),
        )
    return office, service, made


def _fill(office, service, counters, bookings: int, start: dt.date) -> int:
    """Store `bookings` confirmed 15-minute appointments (3 slot rows each) on free times."""
    from portalwerk.platform.appointments import schedule
    from portalwerk.platform.appointments.models import (
        Appointment,
        AppointmentItem,
        Slot,
        Status,
    )

    rng = random.Random(7)
    day_units = [u for u in range(8 * 12, 16 * 12 - 2) if not (12 * 12 - 2 <= u < 13 * 12)]
    taken = set()
    appointments, plans = [], []
    day = start
    while len(appointments) < bookings:
        if day.weekday() < 5:
            for counter in counters:
                for unit in rng.sample(day_units, 6):
                    units = {(counter.id, day, unit + i) for i in range(3)}
                    if units & taken:
                        continue
                    taken |= units
                    begins = schedule.unit_start(day, unit, 5)
                    appointments.append(
                        Appointment(
                            office=office,
                            counter=counter,
                            starts_at=begins,
                            ends_at=begins + dt.timedelta(minutes=15),
                            status=Status.CONFIRMED,
                            name="Bench",
                        )
                    )
                    plans.append(
                        (counter.id, [begins + dt.timedelta(minutes=5 * i) for i in range(3)])
                    )
                    if len(appointments) == bookings:
                        break
                if len(appointments) == bookings:
                    break
        day += dt.timedelta(days=1)
    Appointment.objects.bulk_create(appointments, batch_size=500)
    AppointmentItem.objects.bulk_create(
        [
            AppointmentItem(appointment=a, service=service, duration_minutes=15)
            for a in appointments
        ],
        batch_size=500,
    )
    Slot.objects.bulk_create(
        [
            Slot(counter_id=counter_id, starts_at=at, appointment=appointment)
            for appointment, (counter_id, starts) in zip(appointments, plans, strict=True)
            for at in starts
        ],
        batch_size=1000,
    )
    return len(appointments)


def _schema(run: Run) -> str:
    """A tenant of its own (state NRW, for the holidays), made once per run."""
    if "appointments_schema" not in run.shared:
        from portalwerk.platform.authz.actors import system
        from portalwerk.tenants import services

        tenant = services.create_tenant(
            actor=system("bench"),
            data=services.NewTenant(
                name="Bench Termine",
                slug="bench-appointments",
                kind="municipality",
                official_key="05998999",
            ),
        )
        run.shared["appointments_schema"] = tenant.schema_name
    return run.shared["appointments_schema"]


@bench("slots_search_60d_ms")
def slots_search_60d_ms(run: Run) -> None:
    """Free days 60 days ahead: 10 counters, 5-minute grid, 2,000 bookings (target < 50 ms)."""
    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from portalwerk.platform.appointments import schedule

    repeat = 5 if run.quick else 30
    with schema_context(_schema(run)):
        office, service, counters = _office(SEARCH_COUNTERS, lead_time_minutes=0)
        today = timezone.localdate()
        made = _fill(office, service, counters, SEARCH_BOOKINGS, today + dt.timedelta(days=1))
        end = today + dt.timedelta(days=60)
        days = schedule.available_days(office, [service.pk], today, end)
        value = _median_ms(
            lambda: schedule.available_days(office, [service.pk], today, end), repeat
        )

        def raw():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT counter_id, starts_at FROM appointments_slot "
                    "WHERE counter_id = ANY(%s) AND starts_at >= %s AND starts_at < %s",
                    [
                        [c.id for c in counters],
                        schedule.local_midnight(today),
                        schedule.local_midnight(end),
                    ],
                )
                cursor.fetchall()

        baseline = _median_ms(raw, repeat)
    run.figure("slots_search_bookings", made)
    run.figure("slots_search_free_days", len(days))
    run.figure("slots_search_60d_ms", value)
    run.figure("slots_search_raw_read_ms", baseline)
    run.figure("slots_search_ratio", value / baseline)


def _race(schema: str, calls) -> tuple[list, float]:
    from django.db import connection

    barrier = threading.Barrier(len(calls) + 1)
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            connection.set_schema(schema)
            connection.ensure_connection()
            barrier.wait(timeout=120)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - counted
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=120)
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - start


@bench("booking_race_100_clients")
def booking_race_100_clients(run: Run) -> None:
    """100 clients book at random times of one day at once: made, overbookings (0), per second."""
    from django.core.exceptions import ValidationError
    from django.db import connection, transaction
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from portalwerk.platform.appointments import schedule, services
    from portalwerk.platform.appointments.models import Appointment
    from portalwerk.platform.authz.actors import anonymous

    clients = 20 if run.quick else CLIENTS
    schema = _schema(run)
    with schema_context(schema):
        office, service, counters = _office(10, lead_time_minutes=0, max_active_per_email=100)
        day = timezone.localdate() + dt.timedelta(days=3)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        starts = [t.starts_at for t in schedule.available_times(office, [service.pk], day)]

    def client(n):
        rng = random.Random(n)

        def book():
            made = refused = 0
            for attempt in range(ATTEMPTS):
                try:
                    services.hold_appointment(
                        actor=anonymous(),
                        office=office,
                        service_ids=[service.pk],
                        starts_at=rng.choice(starts),
                        name=f"Client {n}",
                        email=f"client{n}-{attempt}@example.org",
                    )
                    made += 1
                except ValidationError:
                    refused += 1
            return made, refused

        return book

    results, elapsed = _race(schema, [client(n) for n in range(clients)])
    failures = [r for r in results if isinstance(r, Exception)]
    made = sum(r[0] for r in results if isinstance(r, tuple))
    with schema_context(schema), connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM appointments_appointment a
            JOIN appointments_appointment b ON a.counter_id = b.counter_id AND a.id < b.id
             AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
            WHERE a.status IN ('held', 'confirmed') AND b.status IN ('held', 'confirmed')
            """
        )
        overbookings = cursor.fetchone()[0]
        stored = Appointment.objects.filter(office=office).count()
    value = made / elapsed

    # baseline: the same rows as plain SQL, 100 connections, no locks, no checks
    counter_ids = [c.id for c in counters]

    def raw_client(n):
        rng = random.Random(n)

        def insert():
            for attempt in range(ATTEMPTS):
                begins = rng.choice(starts)
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(
                        "INSERT INTO appointments_appointment (office_id, counter_id, starts_at, "
                        "ends_at, status, held_until, name, email, phone, language, access_key, "
                        "booked_by_clerk, created_at) VALUES (%s, %s, %s, %s, 'held', now(), "
                        "%s, %s, '', 'de', md5(random()::text), false, now()) RETURNING id",
                        [office.pk, rng.choice(counter_ids), begins,
                         begins + dt.timedelta(minutes=15), f"Raw {n}", f"raw{n}-{attempt}@x.org"],
                    )  # fmt: skip
                    appointment_id = cursor.fetchone()[0]
                    cursor.execute(
                        "INSERT INTO appointments_appointmentitem (appointment_id, service_id, "
                        "duration_minutes) VALUES (%s, %s, 15)",
                        [appointment_id, service.pk],
                    )
                    cursor.execute(
                        "INSERT INTO appointments_slot (counter_id, starts_at, appointment_id) "
                        "SELECT %s, s, NULL FROM unnest(%s::timestamptz[]) s "
                        "ON CONFLICT DO NOTHING",
                        [rng.choice(counter_ids),
                         [begins + dt.timedelta(minutes=5 * i) for i in range(3)]],
                    )  # fmt: skip
            return ATTEMPTS

        return insert

    raw_results, raw_elapsed = _race(schema, [raw_client(n) for n in range(clients)])
    raw_made = sum(r for r in raw_results if isinstance(r, int))
    baseline = raw_made / raw_elapsed
    run.figure("booking_race_clients", clients)
    run.figure("booking_race_attempts", clients * ATTEMPTS)
    run.figure("booking_race_made", made)
    run.figure("booking_race_stored", stored)
    run.figure("booking_race_overbookings", overbookings)
    run.figure("booking_race_crashed", len(failures))
    run.figure("booking_race_per_s", value)
    run.figure("raw_insert_per_s", baseline)
    run.figure("booking_race_ratio", value / baseline)
    if overbookings or failures:
        run.log(f"booking_race_100_clients FAILED: {overbookings} overbookings, {failures[:3]}")
