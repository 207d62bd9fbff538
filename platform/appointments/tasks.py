"""Appointment jobs: mails, hold expiry, reminders. Each tenant job takes the schema name; the
periodic ones iterate the tenants explicitly."""

from __future__ import annotations

from django.db import connection
from django_tenants.utils import schema_context
from procrastinate.contrib.django import app

from portalwerk.platform.jobs import tenant_task


@tenant_task(queue="mail", retry=5)
def send_appointment_mail(*, appointment_id: int, kind: str) -> str | None:
    from portalwerk.platform.appointments import mail

    return mail.send(appointment_id=appointment_id, kind=kind)


@tenant_task(queue="appointments", retry=3)
def expire_hold(*, appointment_id: int) -> int:
    from portalwerk.platform.appointments import services

    return services.expire_holds(appointment_id=appointment_id)


def _tenant_schemas() -> list[str]:
    from portalwerk.tenants.models import Tenant, TenantStatus

    with schema_context("public"):
        return list(
            Tenant.objects.exclude(schema_name="public")
            .filter(status=TenantStatus.ACTIVE, modules__contains=["appointments"])
            .values_list("schema_name", flat=True)
        )


def for_each_tenant(func) -> dict[str, int]:
    done = {}
    for schema in _tenant_schemas():
        with schema_context(schema):
            done[schema] = func()
    connection.set_schema_to_public()
    return done


@app.periodic(cron="*/5 * * * *")
@app.task(queue="appointments", queueing_lock="appointments.sweep_holds")
def sweep_holds(timestamp: int) -> dict[str, int]:
    """Every five minutes, in every tenant: expire holds (the per-hold job may have been lost),
    drop old rate counters, blank the personal data of appointments past their retention."""
    from portalwerk.platform.appointments import limits, services

    def sweep() -> int:
        limits.purge_old_counters()
        services.purge_personal_data()
        return services.expire_holds()

    return for_each_tenant(sweep)


@app.periodic(cron="0 * * * *")
@app.task(queue="appointments", queueing_lock="appointments.send_reminders")
def send_reminders(timestamp: int) -> dict[str, int]:
    """Hourly: the day-before reminder for every tenant's appointments of tomorrow (each
    appointment is reminded once; a later run picks up the ones booked since)."""
    from portalwerk.platform.appointments import services

    return for_each_tenant(services.send_reminders)
