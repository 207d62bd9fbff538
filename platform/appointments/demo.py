"""Demo appointments for a tenant: two offices with counters, hours, services and some bookings.

Idempotent: a tenant that has an office already is left as it is. Runs in the tenant's schema.
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
    Office,
    OfficeService,
    OpeningException,
    OpeningHours,
)

SERVICES = [
    # name, what to bring, minutes at the town hall, minutes at the branch office (None: not there)
    ("Wohnsitz anmelden", "Personalausweis, Wohnungsgeberbestätigung", 10, 15),
    ("Personalausweis beantragen", "Biometrisches Foto, alter Ausweis", 20, 25),
    ("Reisepass beantragen", "Biometrisches Foto, Personalausweis", 20, None),
    ("Fischereischein aushändigen", "Prüfungszeugnis, Personalausweis", 5, 10),
    ("Führungszeugnis beantragen", "Personalausweis", 10, 10),
]

OFFICES = [
    ("Bürgerbüro im Rathaus", "Marktplatz 1", 3, 2),
    ("Bürgerbüro Nord", "Nordstraße 12", 2, 3),
]


def _t(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


@transaction.atomic
def seed_appointments(*, clerk=None) -> bool:
    """Create the demo offices unless the tenant has one; book a few appointments when a clerk
    is given. Returns whether anything was made."""
    if Office.objects.exists():
        return False
    made_services = [
        BookableService.objects.create(name=name, description=bring)
        for name, bring, _a, _b in SERVICES
    ]
    offices = []
    for index, (name, address, counters, _pad) in enumerate(OFFICES):
        office = Office.objects.create(
            name=name,
            address=address,
            catalog_key=f"demo-office-{index + 1}",
            directions="Barrierefreier Eingang an der Rückseite.",
        )
        offices.append(office)
        offered = []
        for service, (_n, _b, town_hall, branch) in zip(made_services, SERVICES, strict=True):
            minutes = town_hall if index == 0 else branch
            if minutes:
                OfficeService.objects.create(
                    office=office, service=service, duration_minutes=minutes
                )
                offered.append(service)
        for number in range(counters):
            counter = Counter.objects.create(office=office, name=f"Schalter {number + 1}")
            # the last counter does not hand over fishing licences
            counter.services.set(
                offered if number == 0 else [s for s in offered if "Fischerei" not in s.name]
            )
        for weekday in range(5):
            long_day = weekday in (1, 3)  # Tuesday and Thursday afternoons
            OpeningHours.objects.create(
                office=office,
                weekday=weekday,
                opens=_t("08:00"),
                closes=_t("18:00" if long_day else "12:30"),
                break_starts=_t("12:30") if long_day else None,
                break_ends=_t("14:00") if long_day else None,
            )
        if index == 1:
            OpeningHours.objects.create(
                office=office, weekday=5, opens=_t("09:00"), closes=_t("12:00")
            )
    today = timezone.localdate()
    OpeningException.objects.create(
        office=offices[0],
        date=today + dt.timedelta(days=10),
        kind=ExceptionKind.CLOSED,
        note="Betriebsausflug",
    )
    if clerk is not None:
        _book_some(offices[0], made_services, clerk)
    return True


def _book_some(office: Office, made_services, clerk) -> None:
    names = ["Erika Mustermann", "Max Mustermann", "Ayşe Yılmaz", "Jan Kowalski", "Lena Schmidt"]
    day = timezone.localdate() + dt.timedelta(days=1)
    booked = 0
    while booked < len(names) and day < timezone.localdate() + dt.timedelta(days=14):
        times = schedule.available_times(office, [made_services[0].pk], day)
        for free in times[:: max(1, len(times) // 3)][:2]:
            if booked == len(names):
                break
            services.book_on_behalf(
                actor=clerk,
                office=office,
                service_ids=[made_services[booked % 2].pk],
                starts_at=free.starts_at,
                name=names[booked],
            )
            booked += 1
        day += dt.timedelta(days=1)
