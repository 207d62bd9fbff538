"""Reads of the clerk's start page: what needs the clerk now, each a count and its first rows,
in a constant number of queries whatever the numbers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.utils import timezone

from portalwerk.platform.appointments import access as appointments
from portalwerk.platform.appointments import schedule
from portalwerk.platform.appointments.models import Status as AppointmentStatus
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.casework import queries as casework
from portalwerk.platform.forms.models import SubmissionStatus
from portalwerk.platform.handover import queries as handover

S = SubmissionStatus
OPEN = (S.RECEIVED, S.IN_PROGRESS, S.WAITING)
FIRST_ROWS = 5
# what still happens or happened on a day; cancelled and lapsed holds are not the clerk's work
DAY_STATUSES = (
    AppointmentStatus.CONFIRMED,
    AppointmentStatus.ARRIVED,
    AppointmentStatus.NO_SHOW,
)


@dataclass
class Section:
    """One part of the start page: how many there are and the first few."""

    count: int
    rows: list = field(default_factory=list)

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.rows))


def _section(queryset) -> Section:
    return Section(count=queryset.count(), rows=list(queryset[:FIRST_ROWS]))


def new_submissions() -> Section:
    """Received and not assigned to anyone, newest first."""
    return _section(casework.inbox(status=S.RECEIVED, assigned="none"))


def assigned_to(actor: Actor) -> Section:
    """Assigned to the actor and still open."""
    return _section(casework.inbox(assigned="me", actor=actor).filter(status__in=OPEN))


def overdue(now: dt.datetime | None = None) -> Section:
    """Open and past their processing deadline, the longest overdue first."""
    rows = casework.inbox().filter(due_at__lt=now or timezone.now(), status__in=OPEN)
    return _section(rows.order_by("due_at", "id"))


def todays_appointments(day: dt.date | None = None) -> Section:
    """Per office that takes appointments: how many the day holds and when the next one is.
    No citizen's name: the day view shows those (and records the look)."""
    day = day or timezone.localdate()
    start = schedule.local_midnight(day)
    end = schedule.local_midnight(day + dt.timedelta(days=1))
    on_day = Q(
        appointments__starts_at__gte=start,
        appointments__starts_at__lt=end,
        appointments__status__in=DAY_STATUSES,
    )
    upcoming = on_day & Q(
        appointments__starts_at__gte=max(timezone.now(), start),
        appointments__status=AppointmentStatus.CONFIRMED,
    )
    offices = list(
        appointments.bookable_offices(include_inactive=True)
        .annotate(day_count=Count("appointments", filter=on_day))
        .annotate(next_at=Min("appointments__starts_at", filter=upcoming))
        .order_by("name_de", "pk")
    )
    return Section(count=sum(o.day_count for o in offices), rows=offices)


def failed_handovers() -> Section:
    """Deliveries that failed for good (the dead letters), the latest attempt first."""
    return _section(handover.dead_letters())
