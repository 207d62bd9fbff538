"""Where an appointment goes, and the locks that keep two bookings off one slot.

Capacity is PostgreSQL's to enforce (LESSONS, "Appointments", after ZMS): a booking takes the
office row FOR SHARE (a clerk changing the office's days takes it FOR UPDATE, so a closure and a
booking never interleave), makes sure the slot rows it needs exist (INSERT … ON CONFLICT DO
NOTHING), locks them with one `SELECT … FOR UPDATE` ordered by (counter, start), re-reads them
and only then writes. Deadlocks and serialization failures are retried with jitter; when they
persist the caller gets a `busy` error, never a 500.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from portalwerk.platform.appointments import schedule
from portalwerk.platform.appointments.errors import Code, error
from portalwerk.platform.appointments.models import Appointment, OfficeBookingPolicy, Status
from portalwerk.platform.catalog.models import Office


@dataclass
class _Placement:
    office: Office
    need: schedule.Need
    day: dt.date
    unit: int
    candidates: list[int]  # counters open for the whole duration, in id order
    starts: list[dt.datetime]  # the unit starts the appointment covers

    @property
    def ends_at(self) -> dt.datetime:
        grid = self.office.booking_policy.granularity_minutes
        return self.starts[-1] + dt.timedelta(minutes=grid)


def _lock_office(office_id: int, *, exclusive: bool = False) -> Office:
    """The office with its booking rules, whose row is locked FOR SHARE (bookings) or FOR
    UPDATE (a clerk closing a day)."""
    mode = "UPDATE" if exclusive else "SHARE"
    table = OfficeBookingPolicy._meta.db_table
    found = list(
        OfficeBookingPolicy.objects.raw(
            f"SELECT * FROM {table} WHERE office_id = %s FOR {mode}", [office_id]
        )
    )
    if not found:
        raise error(_("There is no such office."), Code.NOT_FOUND, "office")
    office = Office.objects.get(pk=office_id)
    office.booking_policy = found[0]
    return office


def _place(
    office: Office,
    service_ids: Sequence[int],
    starts_at: dt.datetime,
    now: dt.datetime,
    *,
    by_clerk: bool = False,
) -> _Placement:
    ids = tuple(dict.fromkeys(int(i) for i in service_ids))
    if not ids:
        raise error(_("Choose at least one service."), Code.NO_SERVICES, "services")
    need = schedule.need_for(office, ids)
    if need is None:
        raise error(
            _("This office does not offer all of the chosen services."),
            Code.SERVICE_NOT_OFFERED,
            "services",
        )
    if timezone.is_naive(starts_at):
        raise error(_("The time has no time zone."), Code.NOT_ON_GRID, "starts_at")
    earliest, latest = schedule.office_window(office, now)
    if by_clerk:  # clerks book walk-ins and phone calls for today, too
        earliest = now
    local = starts_at.astimezone(schedule.tz())
    if starts_at < earliest or local.date() > latest:
        raise error(
            _("This time cannot be booked (too soon or too far ahead)."),
            Code.OUTSIDE_WINDOW,
            "starts_at",
        )
    grid = office.booking_policy.granularity_minutes
    minutes = local.hour * 60 + local.minute
    if minutes % grid or local.second or local.microsecond:
        raise error(_("Appointments start on the office's time grid."), Code.NOT_ON_GRID)
    unit = minutes // grid
    counters = schedule.counters_for(office, ids)
    days = schedule.compute(office, counters, local.date(), local.date(), with_taken=False)
    fits = 1 << unit
    candidates = [
        c.id
        for c in counters
        if schedule.fit_mask(days.open.get(c.id, {}).get(local.date(), 0), need.units) & fits
    ]
    if not candidates:
        raise error(
            _("The office is not open for the whole appointment at this time."),
            Code.NOT_OPEN,
            "starts_at",
        )
    starts = [schedule.unit_start(local.date(), unit + i, grid) for i in range(need.units)]
    return _Placement(office, need, local.date(), unit, candidates, starts)


@dataclass
class _SlotRow:
    id: int
    counter_id: int
    starts_at: dt.datetime
    appointment_id: int | None
    held_until: dt.datetime | None
    blocked_until: dt.datetime | None

    def free_at(self, now: dt.datetime, owner: int | None = None) -> bool:
        if self.blocked_until is not None and self.blocked_until > now:
            return False
        if self.appointment_id is None or self.appointment_id == owner:
            return True
        return self.held_until is not None and self.held_until <= now


def _lock_slots(placement: _Placement, *, also_of: int | None = None) -> list[_SlotRow]:
    """Create the missing slot rows, then lock all of them (and the rows of appointment
    `also_of`) with one SELECT … FOR UPDATE in (counter, start) order."""
    pairs = sorted((c, s) for c in placement.candidates for s in placement.starts)
    counters = [c for c, _s in pairs]
    starts = [s for _c, s in pairs]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO appointments_slot (counter_id, starts_at)
            SELECT c, s FROM unnest(%s::bigint[], %s::timestamptz[]) AS t(c, s) ORDER BY c, s
            ON CONFLICT (counter_id, starts_at) DO NOTHING
            """,
            [counters, starts],
        )
        cursor.execute(
            """
            SELECT id, counter_id, starts_at, appointment_id, held_until, blocked_until
            FROM appointments_slot
            WHERE (counter_id, starts_at) IN (
                SELECT c, s FROM unnest(%s::bigint[], %s::timestamptz[]) AS t(c, s))
               OR appointment_id = %s
            ORDER BY counter_id, starts_at
            FOR UPDATE
            """,
            [counters, starts, also_of],
        )
        return [_SlotRow(*row) for row in cursor.fetchall()]


def _choose(
    placement: _Placement, rows: list[_SlotRow], now: dt.datetime, owner: int | None = None
) -> list[_SlotRow]:
    wanted = set(placement.starts)
    by_counter: dict[int, list[_SlotRow]] = defaultdict(list)
    for row in rows:
        if row.starts_at in wanted and row.counter_id in placement.candidates:
            by_counter[row.counter_id].append(row)
    for counter_id in placement.candidates:
        chosen = by_counter.get(counter_id, [])
        if len(chosen) == len(wanted) and all(r.free_at(now, owner) for r in chosen):
            return chosen
    raise error(
        _("This time has just been taken. Please choose another one."),
        Code.SLOT_TAKEN,
        "starts_at",
    )


def _expire_stale_holders(rows: list[_SlotRow], now: dt.datetime, owner: int | None) -> None:
    stale = {r.appointment_id for r in rows if r.appointment_id and r.appointment_id != owner}
    if stale:
        Appointment.objects.filter(id__in=stale, status=Status.HELD, held_until__lte=now).update(
            status=Status.EXPIRED, held_until=None
        )
