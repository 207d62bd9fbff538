"""The mails citizens get about an appointment, in the language they booked in."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.db import connection
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from portalwerk.platform.appointments import ics, schedule
from portalwerk.platform.appointments.access import confirm_token, manage_token
from portalwerk.platform.appointments.models import Appointment

WITH_CALENDAR = {"confirmed", "rescheduled", "reminder", "cancelled", "office_closed"}


def base_url() -> str:
    """The portal address of the tenant whose schema is active, e.g. https://alpha.example/."""
    from portalwerk.platform.portal.views import tenant_url
    from portalwerk.tenants.models import Tenant

    return tenant_url(Tenant.objects.get(schema_name=connection.schema_name))


def links(appointment: Appointment) -> dict[str, str]:
    base = base_url().rstrip("/")
    return {
        "manage_url": f"{base}/appointments/manage/{manage_token(appointment)}/",
        "confirm_url": f"{base}/appointments/confirm/{confirm_token(appointment)}/",
        "host": base.split("://", 1)[-1],
    }


def subject_for(kind: str, appointment: Appointment) -> str:
    when = appointment.starts_at.astimezone(schedule.tz()).strftime("%d.%m.%Y %H:%M")
    return {
        "confirm_request": _("Please confirm your appointment on %(when)s"),
        "confirmed": _("Your appointment on %(when)s is booked"),
        "rescheduled": _("Your appointment has been moved to %(when)s"),
        "cancelled": _("Your appointment on %(when)s is cancelled"),
        "office_closed": _("The office is closed: your appointment on %(when)s is cancelled"),
        "reminder": _("Reminder: your appointment tomorrow, %(when)s"),
    }[kind] % {"when": when}


def send(*, appointment_id: int, kind: str) -> str | None:
    appointment = (
        Appointment.objects.select_related("office", "counter")
        .prefetch_related("items__service")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None or not appointment.email:
        return None
    context = {"appointment": appointment, "kind": kind, **links(appointment)}
    with translation.override(appointment.language or "de"):
        body = render_to_string(f"appointments/mail/{kind}.txt", context)
        message = EmailMessage(subject_for(kind, appointment), body, None, [appointment.email])
        if kind in WITH_CALENDAR:
            message.attach(
                "appointment.ics",
                ics.calendar_for(
                    appointment, host=context["host"], manage_url=context["manage_url"]
                ),
                "text/calendar",
            )
    message.send()
    return appointment.email
