"""The mails citizens get about an appointment, in the language they booked in."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import dateformat, translation
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


#: how a mail writes a time, per language ("Dienstag, 1. Dezember 2026, 10:30 Uhr" /
#: "Tuesday, 1 December 2026, 10:30"); day and month names come from Django's translations
WHEN_FORMATS = {"de": "l, j. F Y, H:i", "en": "l, j F Y, H:i"}
SHORT_FORMATS = {"de": "d.m.Y, H:i", "en": "j M Y, H:i"}  # the German texts say "Uhr"


def _format(value, formats: dict[str, str]) -> str:
    language = (translation.get_language() or "de")[:2]
    local = value.astimezone(schedule.tz())
    return dateformat.format(local, formats.get(language, formats["de"]))


def when(appointment: Appointment) -> str:
    """The appointment's day and time span in the active language."""
    end = dateformat.format(appointment.ends_at.astimezone(schedule.tz()), "H:i")
    suffix = " Uhr" if (translation.get_language() or "de").startswith("de") else ""
    return f"{_format(appointment.starts_at, WHEN_FORMATS)}–{end}{suffix}"


@dataclass(frozen=True)
class ServiceLine:
    """A booked service as the mail names it: in the reader's language where the catalogue has
    it, else in German and said so; with what to bring."""

    name: str
    only_german: bool
    bring: str
    bring_only_german: bool


def service_lines(appointment: Appointment) -> list[ServiceLine]:
    from portalwerk.platform.catalog.models import Service
    from portalwerk.platform.library.translation import text_for

    language = (translation.get_language() or "de")[:2]
    items = list(appointment.items.all())
    keys = [item.service.catalog_key for item in items if item.service.catalog_key]
    catalogue = {service.slug: service for service in Service.objects.filter(slug__in=keys)}
    lines = []
    for item in items:
        foreign = language != "de"
        entry = catalogue.get(item.service.catalog_key)
        name, only_german = item.service.name, foreign
        bring, bring_only_german = item.service.description.strip(), foreign
        if entry is not None:
            catalogue_name = text_for(entry, "name", language)
            name, only_german = str(catalogue_name), foreign and catalogue_name.lang == "de"
            documents = text_for(entry, "documents", language)
            if str(documents).strip():
                bring, bring_only_german = (
                    str(documents).strip(),
                    foreign and documents.lang == "de",
                )
        lines.append(ServiceLine(name, only_german, bring, bring and bring_only_german))
    return lines


def subject_for(kind: str, appointment: Appointment) -> str:
    when = _format(appointment.starts_at, SHORT_FORMATS)
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
    context = {
        "appointment": appointment,
        "kind": kind,
        # computed in the recipient's language while the mail is composed
        "when": lambda: when(appointment),
        "services": lambda: service_lines(appointment),
        **links(appointment),
    }
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
