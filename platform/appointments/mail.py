"""The mails citizens get about an appointment, in the language they booked in."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portalwerk.platform import mail
from portalwerk.platform.appointments import ics, schedule
from portalwerk.platform.appointments.access import confirm_token, manage_token
from portalwerk.platform.appointments.models import Appointment

WITH_CALENDAR = {"confirmed", "rescheduled", "reminder", "cancelled", "office_closed"}


def base_url() -> str:
    """The portal address of the tenant whose schema is active, e.g. https://alpha.example/."""
    from portalwerk.tenants.current import current_tenant_url

    return current_tenant_url()


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
    attachments = []
    if kind in WITH_CALENDAR:
        attachments.append(
            mail.Attachment(
                "appointment.ics",
                lambda: ics.calendar_for(
                    appointment, host=context["host"], manage_url=context["manage_url"]
                ),
                "text/calendar",
            )
        )
    return mail.send(
        to=appointment.email,
        language=appointment.language or "de",
        subject=lambda: subject_for(kind, appointment),
        template=f"appointments/mail/{kind}.txt",
        context=context,
        attachments=attachments,
    )
