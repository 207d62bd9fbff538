"""What the periodic and deferred jobs in `tasks` run: expiring holds, blanking old personal
data, queueing reminders."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from portalwerk.platform.appointments import schedule
from portalwerk.platform.appointments.models import Appointment, Slot, Status
from portalwerk.platform.appointments.services.followups import _defer_mail


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
