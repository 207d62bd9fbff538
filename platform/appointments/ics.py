"""iCalendar files for appointments, made with the `icalendar` package (collective/icalendar,
the maintained RFC 5545 library that Plone and many calendar tools use)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from icalendar import Calendar, Event

from portalwerk.platform.appointments.models import Appointment, Status

EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def uid_for(appointment: Appointment, host: str) -> str:
    return f"appointment-{appointment.pk}-{appointment.access_key[:8]}@{host or 'portalwerk'}"


def calendar_for(appointment: Appointment, *, host: str = "", manage_url: str = "") -> bytes:
    cancelled = appointment.status == Status.CANCELLED
    cal = Calendar()
    cal.add("prodid", "-//Portalwerk//Appointments//DE")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", uid_for(appointment, host))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    services = ", ".join(item.service.name for item in appointment.items.all())
    event.add("summary", f"{services} – {appointment.office.name}")
    location = ", ".join(p for p in [appointment.office.name, appointment.office.address] if p)
    event.add("location", location)
    description = [appointment.counter.name]
    if manage_url:
        description.append(manage_url)
        event.add("url", manage_url)
    event.add("description", "\n".join(description))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # SEQUENCE must grow with every new version of the event (moved, cancelled): minutes since
    # 2020 at the moment the file is made do, without storing a counter.
    event.add("sequence", int((timezone.now() - EPOCH).total_seconds() // 60))
    cal.add_component(event)
    return cal.to_ical()
