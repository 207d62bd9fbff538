"""Benchmarks of the appointments app: `slots_search_60d_ms` and `booking_race_100_clients`.

Run: `PORTALWERK_HOME=/tmp/pw .venv/bin/python -m tests.perf.bench_appointments [name …]` (or
through `make bench` once main's tests/perf registry exists: `BENCHMARKS` maps each name to a
function returning `(value, unit, baseline_value)` plus details; the merge registers them there).

Each number comes with a baseline measured in the same run on the same machine:
- slots_search_60d_ms: free days 60 days ahead, 10 counters, 5-minute grid, 2,000 existing
  bookings; target < 50 ms. Baseline: one raw query reading the taken slot rows of that range,
  the least any search over stored bookings must do.
- booking_race_100_clients: 100 clients, each on its own connection, book 5 times at random
  times of one day (15-minute service, 10 counters): bookings made, overbookings (must be 0),
  bookings per second. Baseline `raw_insert_per_s`: the same rows (appointment, item, slot rows)
  inserted as plain SQL by 100 connections, without any check.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import threading
import time

SEARCH_COUNTERS = 10
SEARCH_BOOKINGS = 2000
CLIENTS = 100
ATTEMPTS = 5


def _median_ms(fn, repeat: int = 30) -> float:
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
        Office,
        OfficeService,
        OpeningHours,
    )

    office = Office.objects.create(name="Bench office", granularity_minutes=5, **policy)
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


def slots_search_60d_ms():
    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from portalwerk.platform.appointments import schedule

    with schema_context("t_alpha"):
        office, service, counters = _office(SEARCH_COUNTERS, lead_time_minutes=0)
        today = timezone.localdate()
        made = _fill(office, service, counters, SEARCH_BOOKINGS, today + dt.timedelta(days=1))
        end = today + dt.timedelta(days=60)
        days = schedule.available_days(office, [service.pk], today, end)
        value = _median_ms(lambda: schedule.available_days(office, [service.pk], today, end))

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

        baseline = _median_ms(raw)
    detail = f"{made} bookings, {len(days)} days with free times"
    return value, "ms", baseline, detail


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


def booking_race_100_clients():
    from django.core.exceptions import ValidationError
    from django.db import connection, transaction
    from django_tenants.utils import schema_context

    from portalwerk.platform.appointments import schedule, services
    from portalwerk.platform.appointments.models import Appointment

    schema = "t_alpha"
    with schema_context(schema):
        office, service, counters = _office(10, lead_time_minutes=0, max_active_per_email=100)
        day = dt.date.today() + dt.timedelta(days=3)
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
                        actor=None,
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

    results, elapsed = _race(schema, [client(n) for n in range(CLIENTS)])
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

    raw_results, raw_elapsed = _race(schema, [raw_client(n) for n in range(CLIENTS)])
    raw_made = sum(r for r in raw_results if isinstance(r, int))
    baseline = raw_made / raw_elapsed
    detail = (
        f"{made} bookings made of {CLIENTS * ATTEMPTS} attempts ({stored} stored), "
        f"overbookings {overbookings}, {len(failures)} crashed, "
        f"raw_insert_per_s {baseline:.1f}"
    )
    if overbookings or failures:
        detail += "  <-- FAILED"
    return value, "bookings/s", baseline, detail


BENCHMARKS = {
    "slots_search_60d_ms": slots_search_60d_ms,
    "booking_race_100_clients": booking_race_100_clients,
}


def _with_test_database(run):
    """A throw-away test database with tenant alpha (as the test suite makes it)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portalwerk.platform.settings_test")
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    if os.environ.get("PORTALWERK_BENCH_LIMIT_SET_CALLS"):
        # what-if: django-tenants sets the search path once per connection, not per query
        settings.TENANT_LIMIT_SET_CALLS = True

    from portalwerk.tenants import services

    setup_test_environment()
    config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        services.ensure_platform_tenant()
        services.create_tenant(
            actor="bench",
            data=services.NewTenant(
                name="Stadt Alpha", slug="alpha", kind="municipality", official_key="05998004"
            ),
        )
        return run()
    finally:
        from django.db import connection, connections

        connection.set_schema_to_public()
        connections.close_all()
        teardown_databases(config, verbosity=0)


def main(names: list[str]) -> int:
    def run():
        failed = False
        for name in names or list(BENCHMARKS):
            value, unit, baseline, detail = BENCHMARKS[name]()
            ratio = value / baseline if baseline else float("nan")
            line = f"{name}: {value:.2f} {unit} (baseline {baseline:.2f}, ratio {ratio:.2f}"
            print(f"{line}; {detail})", flush=True)
            failed = failed or "FAILED" in detail
        return 1 if failed else 0

    return _with_test_database(run)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
