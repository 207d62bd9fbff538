"""Writes on appointments. Views, GraphQL mutations, the back office and jobs call these.

Capacity is PostgreSQL's to enforce (LESSONS, "Appointments", after ZMS): a booking takes the
office row FOR SHARE (a clerk changing the office's days takes it FOR UPDATE, so a closure and a
booking never interleave), makes sure the slot rows it needs exist (INSERT … ON CONFLICT DO
NOTHING), locks them with one `SELECT … FOR UPDATE` ordered by (counter, start), re-reads them
and only then writes. Deadlocks and serialization failures are retried with jitter; when they
persist the caller gets a `busy` error, never a 500.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from psycopg import errors as pg_errors

from portalwerk.platform.appointments import schedule
from portalwerk.platform.appointments.errors import Code, error
from portalwerk.platform.appointments.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentItem,
    AuditEntry,
    ExceptionKind,
    OfficeBookingPolicy,
    OpeningException,
    Slot,
    Status,
)
from portalwerk.platform.catalog.models import Office

MAX_ATTEMPTS = 6


def _retry_on_conflict(func):
    """Run `func` (which opens its own transaction) again after a deadlock or serialization
    failure. Inside a caller's transaction it runs once: the caller owns the retry then."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if connection.in_atomic_block:
            return func(*args, **kwargs)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return func(*args, **kwargs)
            except OperationalError as exc:
                cause = exc.__cause__
                if not isinstance(
                    cause, pg_errors.DeadlockDetected | pg_errors.SerializationFailure
                ):
                    raise
                if attempt == MAX_ATTEMPTS:
                    raise error(
                        _("Many people are booking right now. Please try again."), Code.BUSY
                    ) from exc
                time.sleep(random.uniform(0.002, 0.02) * attempt)
        raise AssertionError("unreachable")

    return wrapper


# --- who acts -------------------------------------------------------------------------------


def _authenticated(actor) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False))


def is_clerk(actor) -> bool:
    return _authenticated(actor) and bool(getattr(actor, "is_clerk", False))


def may_process(actor) -> bool:
    """Clerks who may change appointments (readers may only look)."""
    from portalwerk.platform.accounts.models import Role

    return is_clerk(actor) and actor.role != Role.CLERK_READER


def _actor_name(actor) -> str:
    if _authenticated(actor):
        return actor.email
    return str(actor or "citizen")


def _require_processor(actor) -> None:
    if not may_process(actor):
        raise error(_("You may not change appointments."), Code.PERMISSION_DENIED)


def _audit(actor, action: str, appointment: Appointment | None, **detail) -> None:
    if is_clerk(actor):
        AuditEntry.objects.create(
            actor=_actor_name(actor), action=action, appointment=appointment, detail=detail
        )


def _defer_mail(appointment: Appointment, kind: str) -> None:
    from portalwerk.platform.appointments import tasks
    from portalwerk.platform.jobs import defer_for_tenant

    if appointment.email:
        defer_for_tenant(tasks.send_appointment_mail, appointment_id=appointment.id, kind=kind)


def _defer_expiry(appointment: Appointment) -> None:
    from portalwerk.platform.appointments import tasks

    tasks.expire_hold.configure(schedule_at=appointment.held_until).defer(
        schema_name=connection.schema_name, appointment_id=appointment.id
    )


# --- checks shared by hold and reschedule -------------------------------------------------------


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


def _rules(office_id: int) -> OfficeBookingPolicy:
    """The office's booking rules; the defaults when they have been deleted since."""
    return OfficeBookingPolicy.objects.filter(office_id=office_id).first() or OfficeBookingPolicy()


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


def _clean_contact(name: str, email: str, *, email_required: bool) -> tuple[str, str]:
    name = (name or "").strip()
    email = (email or "").strip().lower()
    errors: dict[str, ValidationError] = {}
    if not name:
        errors["name"] = ValidationError(_("Enter your name."), code=Code.NAME_REQUIRED)
    if not email and email_required:
        errors["email"] = ValidationError(_("Enter your email address."), code=Code.EMAIL_REQUIRED)
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ValidationError(
                _("Enter an email address like name@example.org."), code=Code.INVALID_EMAIL
            )
    if errors:
        raise ValidationError(errors)
    return name, email


def _lock_email(email: str) -> None:
    """Serialize bookings of one email address (cap, double click) inside this tenant."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            [f"{connection.schema_name}:appointments:{email}"],
        )


def active_for_email(email: str, now: dt.datetime):
    return Appointment.objects.filter(email=email, ends_at__gt=now).filter(models_active(now))


def models_active(now: dt.datetime):
    from django.db.models import Q

    return Q(status=Status.CONFIRMED) | Q(status=Status.HELD, held_until__gt=now)


# --- citizen operations -----------------------------------------------------------------------


def hold_appointment(
    *,
    actor,
    office: Office,
    service_ids: Sequence[int],
    starts_at: dt.datetime,
    name: str,
    email: str,
    phone: str = "",
    language: str = "de",
    now: dt.datetime | None = None,
) -> Appointment:
    """Hold a time for a citizen. Anonymous citizens get a mail with a confirmation link and the
    hold lasts `confirm_minutes`; signed-in citizens confirm on the next page within
    `hold_minutes`. The same request twice (a double click) returns the same hold."""
    user = actor if _authenticated(actor) and not is_clerk(actor) else None
    if user is not None and not email:
        email = user.email
    name, email = _clean_contact(name, email, email_required=True)
    return _book(
        office_id=office.pk,
        service_ids=service_ids,
        starts_at=starts_at,
        name=name,
        email=email,
        phone=(phone or "").strip(),
        language=language,
        user=user,
        actor=actor,
        by_clerk=False,
        now=now,
    )


@_retry_on_conflict
def _book(
    *,
    office_id: int,
    service_ids,
    starts_at,
    name,
    email,
    phone,
    language,
    user,
    actor,
    by_clerk: bool,
    now,
) -> Appointment:
    with transaction.atomic():
        now = now or timezone.now()
        office = _lock_office(office_id)
        if not office.booking_policy.is_active and not by_clerk:
            raise error(_("There is no such office."), Code.NOT_FOUND, "office")
        placement = _place(office, service_ids, starts_at, now, by_clerk=by_clerk)
        if email:
            _lock_email(email)
            existing = list(active_for_email(email, now).prefetch_related("items"))
            wanted = sorted(placement.need.service_ids)
            for appointment in existing:
                if (
                    appointment.office_id == office.id
                    and appointment.starts_at == starts_at
                    and sorted(i.service_id for i in appointment.items.all()) == wanted
                ):
                    return appointment  # the same request again: a double click
            if not by_clerk and len(existing) >= office.booking_policy.max_active_per_email:
                raise error(
                    ngettext(
                        "This email address already has %(count)s appointment booked, the "
                        "most one address may hold. Cancel it to book another.",
                        "This email address already has %(count)s appointments booked, the "
                        "most one address may hold. Cancel one to book another.",
                        len(existing),
                    )
                    % {"count": len(existing)},
                    Code.EMAIL_CAP_REACHED,
                    "email",
                )
        rows = _lock_slots(placement)
        chosen = _choose(placement, rows, now)
        _expire_stale_holders(chosen, now, None)
        confirm_now = by_clerk
        if confirm_now:
            held_until = None
        elif user is not None:
            held_until = now + dt.timedelta(minutes=office.booking_policy.hold_minutes)
        else:
            held_until = now + dt.timedelta(minutes=office.booking_policy.confirm_minutes)
        appointment = Appointment.objects.create(
            office=office,
            counter_id=chosen[0].counter_id,
            starts_at=placement.starts[0],
            ends_at=placement.ends_at,
            status=Status.CONFIRMED if confirm_now else Status.HELD,
            held_until=held_until,
            confirmed_at=now if confirm_now else None,
            name=name,
            email=email,
            phone=phone,
            user=user,
            language=language,
            booked_by_clerk=by_clerk,
        )
        AppointmentItem.objects.bulk_create(
            AppointmentItem(
                appointment=appointment,
                service_id=service_id,
                duration_minutes=placement.need.durations[service_id],
            )
            for service_id in placement.need.service_ids
        )
        updated = Slot.objects.filter(id__in=[r.id for r in chosen]).update(
            appointment=appointment, held_until=held_until, blocked_until=None
        )
        if updated != len(chosen):  # cannot happen while the rows are locked; never book half
            raise RuntimeError("slot rows changed under their lock")
        if confirm_now:
            _audit(actor, "book", appointment, starts_at=appointment.starts_at.isoformat())
            _defer_mail(appointment, "confirmed")
        else:
            if user is None:
                _defer_mail(appointment, "confirm_request")
            _defer_expiry(appointment)
        return appointment


def confirm_appointment(*, actor, appointment: Appointment, now=None) -> Appointment:
    """Confirm a hold (its owner signed in, or the holder of the link from the mail)."""
    with transaction.atomic():
        now = now or timezone.now()
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.status == Status.CONFIRMED:
            return appointment
        if appointment.status != Status.HELD:
            raise error(_("This appointment is not waiting for confirmation."), Code.NOT_HELD)
        if appointment.held_until is None or appointment.held_until <= now:
            raise error(
                _("The time was held for you until %(time)s and is free again. Please book anew.")
                % {"time": _fmt_time(appointment.held_until)},
                Code.HOLD_EXPIRED,
            )
        expected = appointment.slots.count()
        updated = Slot.objects.filter(appointment=appointment, held_until__gt=now).update(
            held_until=None
        )
        if not expected or updated != expected:
            raise error(_("The time is no longer held for you."), Code.HOLD_EXPIRED)
        appointment.status = Status.CONFIRMED
        appointment.confirmed_at = now
        appointment.held_until = None
        appointment.save(update_fields=["status", "confirmed_at", "held_until"])
        _defer_mail(appointment, "confirmed")
        return appointment


def _fmt_time(value: dt.datetime | None) -> str:
    if value is None:
        return "–"
    return value.astimezone(schedule.tz()).strftime("%H:%M")


def cancel_appointment(*, actor, appointment: Appointment, now=None) -> Appointment:
    """Cancel (or release a hold). A cancelled confirmed time stays blocked for the office's
    `cancel_block_minutes`, so it cannot be handed on ("appointment trading")."""
    with transaction.atomic():
        now = now or timezone.now()
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        clerk = is_clerk(actor)
        if clerk:
            _require_processor(actor)
        if appointment.status == Status.CANCELLED:
            return appointment
        if appointment.status not in ACTIVE_STATUSES:
            raise error(_("This appointment can no longer be cancelled."), Code.NOT_ACTIVE)
        if appointment.starts_at <= now and not clerk:
            raise error(_("This appointment has already begun."), Code.ALREADY_PAST)
        was_confirmed = appointment.status == Status.CONFIRMED
        block = _rules(appointment.office_id).cancel_block_minutes
        blocked = now + dt.timedelta(minutes=block) if was_confirmed else None
        Slot.objects.filter(appointment=appointment).update(
            appointment=None, held_until=None, blocked_until=blocked
        )
        appointment.status = Status.CANCELLED
        appointment.cancelled_at = now
        appointment.held_until = None
        appointment.save(update_fields=["status", "cancelled_at", "held_until"])
        _audit(actor, "cancel", appointment)
        if was_confirmed:
            _defer_mail(appointment, "cancelled")
        return appointment


@_retry_on_conflict
def reschedule_appointment(
    *, actor, appointment: Appointment, starts_at: dt.datetime, now=None
) -> Appointment:
    """Move a confirmed appointment to another free time at the same office, in one
    transaction: the new time is taken and the old one released, or nothing changes."""
    with transaction.atomic():
        now = now or timezone.now()
        if is_clerk(actor):
            _require_processor(actor)
        office = _lock_office(appointment.office_id)
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.status != Status.CONFIRMED:
            raise error(_("Only a confirmed appointment can be moved."), Code.NOT_CONFIRMED)
        if appointment.starts_at <= now:
            raise error(_("This appointment has already begun."), Code.ALREADY_PAST)
        if starts_at == appointment.starts_at:
            return appointment
        service_ids = list(appointment.items.values_list("service_id", flat=True))
        placement = _place(office, service_ids, starts_at, now, by_clerk=is_clerk(actor))
        rows = _lock_slots(placement, also_of=appointment.id)
        chosen = _choose(placement, rows, now, owner=appointment.id)
        _expire_stale_holders(chosen, now, appointment.id)
        chosen_ids = {r.id for r in chosen}
        released = [
            r.id for r in rows if r.appointment_id == appointment.id and r.id not in chosen_ids
        ]
        Slot.objects.filter(id__in=released).update(
            appointment=None,
            held_until=None,
            blocked_until=now + dt.timedelta(minutes=office.booking_policy.cancel_block_minutes),
        )
        Slot.objects.filter(id__in=chosen_ids).update(
            appointment=appointment, held_until=None, blocked_until=None
        )
        previous = appointment.starts_at
        appointment.counter_id = chosen[0].counter_id
        appointment.starts_at = placement.starts[0]
        appointment.ends_at = placement.ends_at
        appointment.reminder_sent_at = None
        appointment.save(update_fields=["counter", "starts_at", "ends_at", "reminder_sent_at"])
        _audit(actor, "reschedule", appointment, previous=previous.isoformat())
        _defer_mail(appointment, "rescheduled")
        return appointment


# --- clerk operations -------------------------------------------------------------------------


def book_on_behalf(
    *,
    actor,
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
    _require_processor(actor)
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


def _mark(actor, appointment: Appointment, status: str, action: str, now) -> Appointment:
    _require_processor(actor)
    with transaction.atomic():
        now = now or timezone.now()
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.status not in (Status.CONFIRMED, Status.ARRIVED, Status.NO_SHOW):
            raise error(_("Only a confirmed appointment can be marked."), Code.NOT_CONFIRMED)
        if (
            appointment.starts_at.astimezone(schedule.tz()).date()
            > now.astimezone(schedule.tz()).date()
        ):
            raise error(_("This appointment is on a later day."), Code.NOT_ACTIVE)
        appointment.status = status
        appointment.save(update_fields=["status"])
        _audit(actor, action, appointment)
        return appointment


def mark_arrived(*, actor, appointment: Appointment, now=None) -> Appointment:
    return _mark(actor, appointment, Status.ARRIVED, "arrived", now)


def mark_no_show(*, actor, appointment: Appointment, now=None) -> Appointment:
    return _mark(actor, appointment, Status.NO_SHOW, "no_show", now)


@_retry_on_conflict
def close_office_day(*, actor, office: Office, day: dt.date, note: str = "") -> list[Appointment]:
    """Close an office for a whole day and cancel that day's appointments (the citizens get a
    mail). Takes the office row FOR UPDATE, so it waits for bookings in flight and bookings
    wait for it: no booking can land on the closed day."""
    _require_processor(actor)
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
        _audit(actor, "close_day", None, office=office.pk, day=day.isoformat(), note=note)
        return affected


# --- jobs -------------------------------------------------------------------------------------


def expire_holds(*, now=None, appointment_id: int | None = None) -> int:
    """Expire holds whose time ran out and free their slots. Idempotent."""
    with transaction.atomic():
        now = now or timezone.now()
        due = Appointment.objects.select_for_update(skip_locked=True).filter(
            status=Status.HELD, held_until__lte=now
        )
        if appointment_id is not None:
            due = due.filter(pk=appointment_id)
        ids = list(due.values_list("id", flat=True))
        if not ids:
            return 0
        Slot.objects.filter(appointment_id__in=ids).update(appointment=None, held_until=None)
        Appointment.objects.filter(id__in=ids).update(status=Status.EXPIRED, held_until=None)
        return len(ids)


def purge_personal_data(*, now=None, after_days: int | None = None) -> int:
    """Blank name, email and phone of appointments that ended more than `after_days` ago
    (setting PORTALWERK_APPOINTMENT_RETENTION_DAYS, 90 by default); the rows stay for the
    statistics (how many, which services, no-shows). Idempotent."""
    from django.conf import settings

    now = now or timezone.now()
    days = after_days
    if days is None:
        days = int(getattr(settings, "PORTALWERK_APPOINTMENT_RETENTION_DAYS", 90))
    return (
        Appointment.objects.filter(ends_at__lt=now - dt.timedelta(days=days))
        .exclude(name="", email="", phone="")
        .update(name="", email="", phone="", user=None)
    )


def send_reminders(*, now=None) -> int:
    """Queue the reminder mail for tomorrow's confirmed appointments, once each."""
    with transaction.atomic():
        now = now or timezone.now()
        tomorrow = now.astimezone(schedule.tz()).date() + dt.timedelta(days=1)
        due = list(
            Appointment.objects.select_for_update(skip_locked=True).filter(
                status=Status.CONFIRMED,
                reminder_sent_at__isnull=True,
                starts_at__gte=schedule.local_midnight(tomorrow),
                starts_at__lt=schedule.local_midnight(tomorrow + dt.timedelta(days=1)),
            )
        )
        for appointment in due:
            appointment.reminder_sent_at = now
            appointment.save(update_fields=["reminder_sent_at"])
            _defer_mail(appointment, "reminder")
        return len(due)
