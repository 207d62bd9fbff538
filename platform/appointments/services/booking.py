"""A citizen holds a time, confirms it, or moves it; a clerk's booking shares the same path
(`_book`). The locking itself is in `slots`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portalwerk.platform.appointments import schedule
from portalwerk.platform.appointments.errors import Code, error
from portalwerk.platform.appointments.models import Appointment, AppointmentItem, Slot, Status
from portalwerk.platform.appointments.services.actors import (
    _audit,
    _for_office,
    _require_manager,
)
from portalwerk.platform.appointments.services.followups import _defer_expiry, _defer_mail
from portalwerk.platform.appointments.services.guards import check_hold
from portalwerk.platform.appointments.services.retry import _retry_on_conflict
from portalwerk.platform.appointments.services.slots import (
    _choose,
    _expire_stale_holders,
    _lock_office,
    _lock_slots,
    _place,
)
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.authz.actors import Actor, user_of
from portalwerk.platform.catalog.models import Office
from portalwerk.platform.operations.metrics import APPOINTMENTS, count_on_commit
from portalwerk.tenants.models import Module
from portalwerk.tenants.modules import require_module


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


def hold_appointment(
    *,
    actor: Actor,
    office: Office,
    service_ids: Sequence[int],
    starts_at: dt.datetime,
    name: str,
    email: str,
    phone: str = "",
    language: str = "de",
    now: dt.datetime | None = None,
    client_ip: str | None = None,
    session_holds: Collection[int] | None = None,
) -> Appointment:
    """Hold a time for a citizen. Anonymous citizens get a mail with a confirmation link and the
    hold lasts `confirm_minutes`; signed-in citizens confirm on the next page within
    `hold_minutes`. The same request twice (a double click) returns the same hold.

    Refused while the module is off, past the booking limits for `client_ip` and the email
    address, and when `session_holds` (the ids of the holds this browser session made; the
    channel keeps them under SESSION_HOLDS and adds the new one) already hold the most one
    session may."""
    require_module(Module.APPOINTMENTS)
    user = user_of(actor) if not _for_office(actor) else None
    if user is not None and not email:
        email = user.email
    check_hold(email=email, client_ip=client_ip, session_holds=session_holds, now=now)
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
    actor: Actor,
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
        count_on_commit(APPOINTMENTS, event="confirmed" if confirm_now else "held")
        if confirm_now:
            _audit(
                actor,
                Action.APPOINTMENT_BOOKED,
                appointment,
                starts_at=appointment.starts_at.isoformat(),
            )
            _defer_mail(appointment, "confirmed")
        else:
            if user is None:
                _defer_mail(appointment, "confirm_request")
            _defer_expiry(appointment)
        return appointment


def confirm_appointment(*, actor: Actor, appointment: Appointment, now=None) -> Appointment:
    """Confirm a hold (its owner signed in, or the holder of the link from the mail)."""
    require_module(Module.APPOINTMENTS)
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
        count_on_commit(APPOINTMENTS, event="confirmed")
        _defer_mail(appointment, "confirmed")
        return appointment


def _fmt_time(value: dt.datetime | None) -> str:
    if value is None:
        return "–"
    return value.astimezone(schedule.tz()).strftime("%H:%M")


def reschedule_appointment(
    *,
    actor: Actor,
    appointment: Appointment,
    starts_at: dt.datetime,
    now=None,
    client_ip: str | None = None,
) -> Appointment:
    """Move a confirmed appointment to another free time at the same office, in one
    transaction: the new time is taken and the old one released, or nothing changes. A
    citizen's move counts against the booking limits (`client_ip`, the appointment's address)
    and needs the module on."""
    if not _for_office(actor):
        require_module(Module.APPOINTMENTS)
        check_hold(email=appointment.email, client_ip=client_ip, session_holds=None)
    return _reschedule(actor=actor, appointment=appointment, starts_at=starts_at, now=now)


@_retry_on_conflict
def _reschedule(
    *, actor: Actor, appointment: Appointment, starts_at: dt.datetime, now
) -> Appointment:
    with transaction.atomic():
        now = now or timezone.now()
        if _for_office(actor):
            _require_manager(actor)
        office = _lock_office(appointment.office_id)
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.status != Status.CONFIRMED:
            raise error(_("Only a confirmed appointment can be moved."), Code.NOT_CONFIRMED)
        if appointment.starts_at <= now:
            raise error(_("This appointment has already begun."), Code.ALREADY_PAST)
        if starts_at == appointment.starts_at:
            return appointment
        service_ids = list(appointment.items.values_list("service_id", flat=True))
        placement = _place(office, service_ids, starts_at, now, by_clerk=_for_office(actor))
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
        _audit(actor, Action.APPOINTMENT_RESCHEDULED, appointment, previous=previous.isoformat())
        _defer_mail(appointment, "rescheduled")
        return appointment
