"""Free times, computed on the fly from the opening hours and the taken slot rows.

Each counter-day is a Python int used as a bit set: bit i is the grid unit that starts i × grid
minutes after local midnight. Open units come from the weekly booking hours (minus breaks), the
exceptions, the public holidays of the tenant's state and the catalogue office's closures; taken
units come from one query over `Slot`. A booking needing k units fits where k consecutive bits are
set: `m = free; m &= free >> i` for i in 1..k-1. 60 days × 10 counters are 600 ints and a handful
of queries, a few milliseconds.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import time
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import holidays
from django.conf import settings
from django.db import connection
from django.utils import timezone

from portalwerk.platform.appointments.models import (
    Counter,
    ExceptionKind,
    OfficeService,
    OpeningException,
    OpeningHours,
)
from portalwerk.platform.catalog.models import Closure, Office

# First two digits of the official municipality key (AGS) → state (ISO 3166-2:DE subdivision).
STATE_BY_KEY_PREFIX = {
    "01": "SH",
    "02": "HH",
    "03": "NI",
    "04": "HB",
    "05": "NW",
    "06": "HE",
    "07": "RP",
    "08": "BW",
    "09": "BY",
    "10": "SL",
    "11": "BE",
    "12": "BB",
    "13": "MV",
    "14": "SN",
    "15": "ST",
    "16": "TH",
}


def tz() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def state_for_key(official_key: str) -> str | None:
    return STATE_BY_KEY_PREFIX.get((official_key or "")[:2])


@functools.lru_cache(maxsize=64)
def _holidays(state: str | None, year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("DE", subdiv=state, years=year).keys())


def public_holidays(state: str | None, start: dt.date, end: dt.date) -> set[dt.date]:
    """The public holidays of `state` (None: the nationwide ones) between start and end."""
    days: set[dt.date] = set()
    for year in range(start.year, end.year + 1):
        days |= {d for d in _holidays(state, year) if start <= d <= end}
    return days


_state_cache: dict[str, tuple[float, str | None]] = {}


def current_state() -> str | None:
    """The state of the tenant whose schema is active, from its official key (cached 5 min)."""
    schema = connection.schema_name
    hit = _state_cache.get(schema)
    now = time.monotonic()
    if hit and hit[0] > now:
        return hit[1]
    from portalwerk.tenants.models import Tenant

    key = Tenant.objects.filter(schema_name=schema).values_list("official_key", flat=True).first()
    state = state_for_key(key or "")
    _state_cache[schema] = (now + 300, state)
    return state


@dataclass(frozen=True)
class Need:
    """What an appointment for some services takes at one office."""

    service_ids: tuple[int, ...]
    minutes: int
    units: int
    durations: dict[int, int]


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _interval_mask(start_min: int, end_min: int, grid: int) -> int:
    first = math.ceil(start_min / grid)
    last = end_min // grid  # exclusive
    if last <= first:
        return 0
    return ((1 << (last - first)) - 1) << first


def fit_mask(free: int, units: int) -> int:
    """Bits where `units` consecutive free units start."""
    mask = free
    shift = 1
    while shift < units and mask:
        mask &= free >> shift
        shift += 1
    return mask


def bits(mask: int) -> Iterable[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


@dataclass
class OfficeDays:
    """Free grid units per counter and day for one office and date range."""

    office: Office
    counters: list[Counter]
    start: dt.date
    end: dt.date
    open: dict[int, dict[dt.date, int]] = field(default_factory=dict)
    taken: dict[int, dict[dt.date, int]] = field(default_factory=dict)
    earliest: dt.datetime | None = None

    def free(self, counter_id: int, day: dt.date) -> int:
        mask = self.open.get(counter_id, {}).get(day, 0) & ~self.taken.get(counter_id, {}).get(
            day, 0
        )
        return mask & self._not_before(day)

    def _not_before(self, day: dt.date) -> int:
        if self.earliest is None:
            return -1
        earliest_local = self.earliest.astimezone(tz())
        if day > earliest_local.date():
            return -1
        if day < earliest_local.date():
            return 0
        t = earliest_local.time()
        seconds = t.hour * 3600 + t.minute * 60 + t.second + (1 if t.microsecond else 0)
        first = math.ceil(seconds / (self.office.booking_policy.granularity_minutes * 60))
        return ~((1 << first) - 1)


def office_window(office: Office, now: dt.datetime) -> tuple[dt.datetime, dt.date]:
    """Earliest bookable moment and latest bookable day."""
    policy = office.booking_policy
    earliest = now + dt.timedelta(minutes=policy.lead_time_minutes)
    latest = now.astimezone(tz()).date() + dt.timedelta(days=policy.horizon_days)
    return earliest, latest


def need_for(office: Office, service_ids: Sequence[int]) -> Need | None:
    """Duration of the given services at the office; None when the office lacks one of them."""
    ids = tuple(int(i) for i in service_ids)
    if not ids:
        return None
    durations = dict(
        OfficeService.objects.filter(
            office=office, service_id__in=set(ids), service__is_active=True
        ).values_list("service_id", "duration_minutes")
    )
    if set(ids) - durations.keys():
        return None
    minutes = sum(durations[i] for i in ids)
    units = math.ceil(minutes / office.booking_policy.granularity_minutes)
    return Need(ids, minutes, units, durations)


def counters_for(office: Office, service_ids: Iterable[int]) -> list[Counter]:
    """Active counters of the office that offer every one of the services, in id order."""
    from django.db.models import Count, Q

    wanted = set(service_ids)
    return list(
        Counter.objects.filter(office=office, is_active=True)
        .annotate(matching=Count("services", filter=Q(services__in=wanted), distinct=True))
        .filter(matching=len(wanted))
        .order_by("id")
    )


def compute(
    office: Office,
    counters: Sequence[Counter],
    start: dt.date,
    end: dt.date,
    *,
    now: dt.datetime | None = None,
    with_taken: bool = True,
    ignore_appointment_id: int | None = None,
) -> OfficeDays:
    """Open and taken units of each counter for start..end (inclusive)."""
    now = now or timezone.now()
    policy = office.booking_policy
    grid = policy.granularity_minutes
    days = OfficeDays(office, list(counters), start, end)
    if end < start or not counters:
        return days
    counter_ids = [c.id for c in counters]
    weekly: dict[int | None, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in OpeningHours.objects.filter(office=office).filter(models_q_counter(counter_ids)):
        mask = _interval_mask(_minutes(row.opens), _minutes(row.closes), grid)
        if row.break_starts and row.break_ends:
            mask &= ~_interval_mask(_minutes(row.break_starts), _minutes(row.break_ends), grid)
        weekly[row.counter_id][row.weekday] |= mask
    exceptions = defaultdict(list)
    for row in OpeningException.objects.filter(
        office=office, date__gte=start, date__lte=end
    ).filter(models_q_counter(counter_ids)):
        exceptions[row.date].append(row)
    closed_days = (
        public_holidays(current_state(), start, end) if policy.observe_public_holidays else set()
    )
    closed_days |= catalogue_closures(office, start, end)
    full_day = (1 << (24 * 60 // grid)) - 1
    day = start
    while day <= end:
        weekday = day.weekday()
        for counter_id in counter_ids:
            own = weekly.get(counter_id)
            hours = own if own else weekly.get(None, {})
            mask = 0 if day in closed_days else hours.get(weekday, 0)
            for exc in exceptions.get(day, ()):
                if exc.counter_id not in (None, counter_id):
                    continue
                if exc.starts is None:
                    span = full_day
                else:
                    span = _interval_mask(_minutes(exc.starts), _minutes(exc.ends), grid)
                if exc.kind == ExceptionKind.EXTRA:
                    mask |= span
            for exc in exceptions.get(day, ()):
                if exc.counter_id not in (None, counter_id) or exc.kind != ExceptionKind.CLOSED:
                    continue
                if exc.starts is None:
                    mask = 0
                else:
                    # a partial closure also closes units it only touches
                    first = _minutes(exc.starts) // grid
                    last = math.ceil(_minutes(exc.ends) / grid)
                    mask &= ~(((1 << (last - first)) - 1) << first)
            if mask:
                days.open.setdefault(counter_id, {})[day] = mask
        day += dt.timedelta(days=1)
    if with_taken:
        days.taken = taken_units(
            counter_ids, start, end, grid, now=now, ignore_appointment_id=ignore_appointment_id
        )
    return days


def catalogue_closures(office: Office, start: dt.date, end: dt.date) -> set[dt.date]:
    """Days in start..end on which the catalogue says the office is closed (the closures the
    office's portal page shows: holidays, a staff outing)."""
    days: set[dt.date] = set()
    for first, last in Closure.objects.filter(
        office=office, first_day__lte=end, last_day__gte=start
    ).values_list("first_day", "last_day"):
        day = max(first, start)
        while day <= min(last, end):
            days.add(day)
            day += dt.timedelta(days=1)
    return days


def models_q_counter(counter_ids: Sequence[int]):
    from django.db.models import Q

    return Q(counter__isnull=True) | Q(counter_id__in=counter_ids)


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz())


def unit_start(day: dt.date, unit: int, grid: int) -> dt.datetime:
    """The aware start of grid unit `unit` on `day` (local wall-clock time)."""
    minutes = unit * grid
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=tz())


def taken_units(
    counter_ids: Sequence[int],
    start: dt.date,
    end: dt.date,
    grid: int,
    *,
    now: dt.datetime,
    ignore_appointment_id: int | None = None,
) -> dict[int, dict[dt.date, int]]:
    """Units whose slot row is booked, held (hold not run out) or blocked after a cancellation."""
    taken: dict[int, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    with connection.cursor() as cursor:
        # one row per counter-day (at most counters × days), the units as an int array
        cursor.execute(
            """
            SELECT counter_id, day, array_agg(unit) FROM (
                SELECT counter_id, (starts_at AT TIME ZONE %(tz)s)::date AS day,
                       (EXTRACT(HOUR FROM starts_at AT TIME ZONE %(tz)s) * 60
                        + EXTRACT(MINUTE FROM starts_at AT TIME ZONE %(tz)s))::int / %(grid)s
                       AS unit
                FROM appointments_slot
                WHERE counter_id = ANY(%(counters)s)
                  AND starts_at >= %(start)s AND starts_at < %(end)s
                  AND ((appointment_id IS NOT NULL
                        AND (held_until IS NULL OR held_until > %(now)s)
                        AND appointment_id IS DISTINCT FROM %(ignore)s)
                       OR blocked_until > %(now)s)
            ) AS taken GROUP BY counter_id, day
            """,
            {
                "tz": settings.TIME_ZONE,
                "grid": grid,
                "counters": list(counter_ids),
                "start": local_midnight(start),
                "end": local_midnight(end + dt.timedelta(days=1)),
                "now": now,
                "ignore": ignore_appointment_id,
            },
        )
        for counter_id, day, units in cursor.fetchall():
            mask = 0
            for unit in units:
                mask |= 1 << unit
            taken[counter_id][day] = mask
    return taken


@dataclass(frozen=True)
class FreeTime:
    starts_at: dt.datetime
    counters: tuple[int, ...]

    @property
    def capacity(self) -> int:
        return len(self.counters)


def free_starts(days: OfficeDays, day: dt.date, units: int) -> dict[int, list[int]]:
    """Start unit → counters with `units` consecutive free units from there."""
    starts: dict[int, list[int]] = defaultdict(list)
    for counter in days.counters:
        for unit in bits(fit_mask(days.free(counter.id, day), units)):
            starts[unit].append(counter.id)
    return starts


def available_days(
    office: Office,
    service_ids: Sequence[int],
    start: dt.date,
    end: dt.date,
    *,
    now: dt.datetime | None = None,
    ignore_appointment_id: int | None = None,
) -> list[dt.date]:
    """Days between start and end (inclusive, clipped to the booking window) with a free time."""
    now = now or timezone.now()
    need = need_for(office, service_ids)
    if need is None:
        return []
    earliest, latest = office_window(office, now)
    start = max(start, earliest.astimezone(tz()).date())
    end = min(end, latest)
    counters = counters_for(office, need.service_ids)
    days = compute(
        office, counters, start, end, now=now, ignore_appointment_id=ignore_appointment_id
    )
    days.earliest = earliest
    found = []
    day = start
    while day <= end:
        if any(fit_mask(days.free(c.id, day), need.units) for c in counters):
            found.append(day)
        day += dt.timedelta(days=1)
    return found


def available_times(
    office: Office,
    service_ids: Sequence[int],
    day: dt.date,
    *,
    now: dt.datetime | None = None,
    ignore_appointment_id: int | None = None,
    for_clerk: bool = False,
) -> list[FreeTime]:
    """Free start times of a day; `for_clerk` drops the lead time (walk-ins, phone calls)."""
    now = now or timezone.now()
    need = need_for(office, service_ids)
    if need is None:
        return []
    earliest, latest = office_window(office, now)
    if for_clerk:
        earliest = now
    if day > latest or day < earliest.astimezone(tz()).date():
        return []
    counters = counters_for(office, need.service_ids)
    days = compute(office, counters, day, day, now=now, ignore_appointment_id=ignore_appointment_id)
    days.earliest = earliest
    starts = free_starts(days, day, need.units)
    grid = office.booking_policy.granularity_minutes
    return [FreeTime(unit_start(day, unit, grid), tuple(starts[unit])) for unit in sorted(starts)]
