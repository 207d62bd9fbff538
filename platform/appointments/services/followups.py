"""What a write queues for later: the mail to the citizen and the expiry of a hold."""

from __future__ import annotations

from django.db import connection

from portalwerk.platform.appointments.models import Appointment


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
