"""What only clerks do: book for a citizen, mark arrivals and no-shows, close an office for a
day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portalwerk.platform.appointments import schedule
from portalwerk.platform.appointments.errors import Code, error
from portalwerk.platform.appointments.models import (
    ACTIVE_STATUSES,
    Appointment,
    ExceptionKind,
    OpeningException,
    Slot,
    Status,
)
from portalwerk.platform.appointments.services.actors import _audit, _for_office, _require_manager
from portalwerk.platform.appointments.services.booking import _book, _clean_contact
from portalwerk.platform.appointments.services.followups import _defer_mail
from portalwerk.platform.appointments.services.retry import _retry_on_conflict
from portalwerk.platform.appointments.services.slots import _lock_office
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.catalog import pagecache
from portalwerk.platform.catalog.models import Office


def day_appointments(office: Office, day: dt.date):
    """The day's appointments of an office, with everything the day view shows (3 queries)."""
    return (
        Appointment.objects.filter(
            office=office,
            starts_at__gte=schedule.local_midnight(day),
            starts_at__lt=schedule.local_midnight(day + dt.timedelta(days=1)),
        )
        .exclude(status=Status.EXPIRED)
        .select_related("counter")
        .prefetch_related("items__service")
        .order_by("starts_at", "counter__name")
    )


def view_day(*, actor: Actor, office: Office, day: dt.date):
    """The day's appointments (citizens' names and contacts) for office staff: the look is
    recorded."""
    if not _for_office(actor):
        raise error(_("You may not see appointments."), Code.PERMISSION_DENIED)
    record(actor, Action.APPOINTMENT_DAY_VIEWED, office, day=day.isoformat())
    return day_appointments(office, day)


def book_on_behalf(
    *,
    actor: Actor,
    office: Office,
    service_ids: Sequence[int],
    starts_at: dt.datetime,
    name: str,
    email: str = "",
    phone: str = "",
    language: str = "de",
    now=None,
) -> Appointment:
    """A clerk books for a citizen (at the counter, on the phone): confirmed at once, the
    per-address cap does not apply, the mail goes out when an address is given."""
    _require_manager(actor)
    name, email = _clean_contact(name, email, email_required=False)
    return _book(
        office_id=office.pk,
        service_ids=service_ids,
        starts_at=starts_at,
        name=name,
        email=email,
        phone=(phone or "").strip(),
        language=language,
        user=None,
        actor=actor,
        by_clerk=True,
        now=now,
    )


MARKABLE_STATUSES = (Status.CONFIRMED, Status.ARRIVED, Status.NO_SHOW)


def can_mark_attendance(appointment: Appointment, now=None) -> bool:
    """Whether arrival or no-show can be recorded now: a confirmed (or already marked)
    appointment whose time has begun. Nobody has come, or failed to come, to a time that is
    still ahead; the day view offers the buttons only where this holds."""
    return appointment.status in MARKABLE_STATUSES and appointment.starts_at <= (
        now or timezone.now()
    )


def _mark(actor: Actor, appointment: Appointment, status: str, action: Action, now) -> Appointment:
    _require_manager(actor)
    with transaction.atomic():
        now = now or timezone.now()
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.status not in MARKABLE_STATUSES:
            raise error(_("Only a confirmed appointment can be marked."), Code.NOT_CONFIRMED)
        if (
            appointment.starts_at.astimezone(schedule.tz()).date()
            > now.astimezone(schedule.tz()).date()
        ):
            raise error(_("This appointment is on a later day."), Code.NOT_ACTIVE)
        if not can_mark_attendance(appointment, now):
            raise error(
                _("This appointment has not begun yet: mark it once its time has come."),
                Code.NOT_STARTED,
            )
        appointment.status = status
        appointment.save(update_fields=["status"])
        _audit(actor, action, appointment)
        return appointment


def mark_arrived(*, actor: Actor, appointment: Appointment, now=None) -> Appointment:
    return _mark(actor, appointment, Status.ARRIVED, Action.APPOINTMENT_ARRIVED, now)


def mark_no_show(*, actor: Actor, appointment: Appointment, now=None) -> Appointment:
    return _mark(actor, appointment, Status.NO_SHOW, Action.APPOINTMENT_NO_SHOW, now)


def appointments_cancelled_by_closing(office: Office, day: dt.date) -> list[Appointment]:
    """The appointments that closing the office on `day` would cancel (what the clerk is told
    before confirming)."""
    return list(
        Appointment.objects.filter(
            office=office,
            starts_at__gte=schedule.local_midnight(day),
            starts_at__lt=schedule.local_midnight(day + dt.timedelta(days=1)),
            status__in=ACTIVE_STATUSES,
        ).order_by("starts_at", "id")
    )


@_retry_on_conflict
def close_office_day(
    *, actor: Actor, office: Office, day: dt.date, note: str = ""
) -> list[Appointment]:
    """Close an office for a whole day and cancel that day's appointments (the citizens get a
    mail). Takes the office row FOR UPDATE, so it waits for bookings in flight and bookings
    wait for it: no booking can land on the closed day."""
    _require_manager(actor)
    with transaction.atomic():
        now = timezone.now()
        office = _lock_office(office.pk, exclusive=True)
        OpeningException.objects.create(
            office=office, date=day, kind=ExceptionKind.CLOSED, note=note
        )
        start = schedule.local_midnight(day)
        affected = list(
            Appointment.objects.select_for_update()
            .filter(
                office=office,
                starts_at__gte=start,
                starts_at__lt=schedule.local_midnight(day + dt.timedelta(days=1)),
                status__in=ACTIVE_STATUSES,
            )
            .order_by("id")
        )
        Slot.objects.filter(appointment__in=affected).update(
            appointment=None, held_until=None, blocked_until=None
        )
        for appointment in affected:
            was_confirmed = appointment.status == Status.CONFIRMED
            appointment.status = Status.CANCELLED
            appointment.cancelled_at = now
            appointment.held_until = None
            appointment.save(update_fields=["status", "cancelled_at", "held_until"])
            if was_confirmed:
                _defer_mail(appointment, "office_closed")
        record(
            actor,
            Action.APPOINTMENT_DAY_CLOSED,
            office,
            day=day.isoformat(),
            cancelled=len(affected),
        )
        # The office's public page lists the closed day.
        transaction.on_commit(pagecache.bump)
        return affected
