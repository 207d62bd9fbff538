"""Demo appointments for a tenant: booking rules, counters, booking hours and services at the
catalogue's demo offices (`platform/catalog/demo.py` must have seeded them), and some bookings.

A municipality books at its citizens' office and registry office, a district at its road traffic
office and public order office: whichever of these catalogue offices the tenant has. Each bookable
service carries the slug of its catalogue service (`catalog_key`), so the catalogue page's link
`/appointments/<slug>/` starts the booking with it.

Idempotent: a tenant with an office that takes appointments is left as it is. Runs in the tenant's
schema.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from portalwerk.platform.appointments import schedule, services
from portalwerk.platform.appointments.models import (
    BookableService,
    Counter,
    ExceptionKind,
    OfficeBookingPolicy,
    OfficeService,
    OpeningException,
    OpeningHours,
)
from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.catalog.models import Office
from portalwerk.platform.catalog.models import OpeningHours as CatalogueHours

# catalogue office slug → number of counters; the first one present gets the demo bookings
OFFICES = {
    "buergerbuero": 3,
    "standesamt": 2,
    "zulassung": 3,
    "ordnung": 2,
}

# name, catalogue service slug, what to bring, {office slug: minutes there}
SERVICES = [
    (
        "Wohnsitz anmelden",
        "wohnsitz-anmelden",
        "Personalausweis, Wohnungsgeberbestätigung",
        {"buergerbuero": 10},
    ),
    (
        "Personalausweis beantragen",
        "personalausweis",
        "Biometrisches Foto, alter Ausweis",
        {"buergerbuero": 20},
    ),
    (
        "Reisepass beantragen",
        "reisepass",
        "Biometrisches Foto, Personalausweis",
        {"buergerbuero": 20},
    ),
    ("Führungszeugnis beantragen", "fuehrungszeugnis", "Personalausweis", {"buergerbuero": 10}),
    (
        "Eheschließung anmelden",
        "eheschliessung",
        "Personalausweise, beglaubigte Abschriften aus dem Geburtenregister",
        {"standesamt": 30},
    ),
    (
        "Fahrzeug zulassen",
        "kfz-zulassung",
        "Zulassungsbescheinigung Teil I und II, eVB-Nummer, Personalausweis",
        {"zulassung": 20},
    ),
    (
        "Führerschein umtauschen",
        "fuehrerschein-umtausch",
        "Alter Führerschein, biometrisches Foto, Personalausweis",
        {"zulassung": 15},
    ),
    (
        "Fischereischein aushändigen",
        "fischereischein",
        "Prüfungszeugnis, Personalausweis",
        {"ordnung": 10},
    ),
]


@transaction.atomic
def seed_appointments(*, clerk=None) -> bool:
    """Make the tenant's demo catalogue offices bookable unless one is already; book a few
    appointments when a clerk is given. Returns whether anything was made."""
    if OfficeBookingPolicy.objects.exists():
        return False
    offices = sorted(
        Office.objects.filter(slug__in=OFFICES), key=lambda o: list(OFFICES).index(o.slug)
    )
    if not offices:
        return False
    made: dict[str, list[BookableService]] = {o.slug: [] for o in offices}
    for name, key, bring, minutes_at in SERVICES:
        at = {slug: minutes for slug, minutes in minutes_at.items() if slug in made}
        if not at:
            continue
        service, _new = BookableService.objects.get_or_create(
            catalog_key=key, defaults={"name": name, "description": bring}
        )
        for office in offices:
            if office.slug in at:
                OfficeService.objects.create(
                    office=office, service=service, duration_minutes=at[office.slug]
                )
                made[office.slug].append(service)
    for office in offices:
        OfficeBookingPolicy.objects.create(office=office)
        offered = made[office.slug]
        for number in range(OFFICES[office.slug]):
            counter = Counter.objects.create(office=office, name=f"Schalter {number + 1}")
            # with several services, the last counter does not offer the last of them
            last = number == OFFICES[office.slug] - 1 and number > 0 and len(offered) > 1
            counter.services.set(offered[:-1] if last else offered)
        # appointments during the office's opening hours as the catalogue shows them
        for period in CatalogueHours.objects.filter(office=office):
            OpeningHours.objects.create(
                office=office, weekday=period.weekday, opens=period.opens, closes=period.closes
            )
    today = timezone.localdate()
    OpeningException.objects.create(
        office=offices[0],
        date=today + dt.timedelta(days=10),
        kind=ExceptionKind.CLOSED,
        note="Betriebsausflug",
    )
    if clerk is not None:
        _book_some(offices[0], made[offices[0].slug], clerk)
    return True


def _book_some(office: Office, offered: list[BookableService], clerk) -> None:
    names = ["Erika Mustermann", "Max Mustermann", "Ayşe Yılmaz", "Jan Kowalski", "Lena Schmidt"]
    office = Office.objects.select_related("booking_policy").get(pk=office.pk)
    day = timezone.localdate() + dt.timedelta(days=1)
    booked = 0
    while booked < len(names) and day < timezone.localdate() + dt.timedelta(days=14):
        times = schedule.available_times(office, [offered[0].pk], day)
        for free in times[:: max(1, len(times) // 3)][:2]:
            if booked == len(names):
                break
            services.book_on_behalf(
                actor=from_user(clerk),
                office=office,
                service_ids=[offered[booked % min(2, len(offered))].pk],
                starts_at=free.starts_at,
                name=names[booked],
            )
            booked += 1
        day += dt.timedelta(days=1)
