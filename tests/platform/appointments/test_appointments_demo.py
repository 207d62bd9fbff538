"""Demo data: the catalogue's demo offices take appointments, with counters, hours, services and
some bookings."""

from django.utils import timezone
from django_tenants.utils import schema_context

from portalwerk.platform.appointments import schedule
from portalwerk.platform.appointments.demo import seed_appointments
from portalwerk.platform.appointments.models import (
    Appointment,
    BookableService,
    Counter,
    OpeningHours,
    Status,
)
from portalwerk.platform.catalog import demo as catalog_demo
from portalwerk.platform.catalog.models import Office


def test_without_the_catalogue_offices_there_is_nothing_to_seed(in_alpha, clerk):
    assert seed_appointments(clerk=clerk) is False
    assert not BookableService.objects.exists()


def test_demo_appointments_are_bookable_at_the_catalogue_offices_and_seeded_once(
    in_alpha, tenant_a, clerk
):
    # given the demo catalogue of a municipality
    catalog_demo.seed_library()
    catalog_demo.seed_tenant(tenant_a)
    # when the demo seeding runs twice
    assert seed_appointments(clerk=clerk) is True
    assert seed_appointments(clerk=clerk) is False
    # then the citizens' office and the registry office take appointments, nothing else
    offices = list(Office.objects.filter(booking_policy__is_active=True).order_by("slug"))
    assert [o.slug for o in offices] == ["buergerbuero", "standesamt"]
    for office in offices:
        assert Counter.objects.filter(office=office).count() >= 2
        assert OpeningHours.objects.filter(office=office).exists()
    assert offices[0].office_services.count() >= 4
    assert Appointment.objects.filter(status=Status.CONFIRMED).count() == 5
    # and the services carry the slugs of their catalogue services
    assert set(BookableService.objects.values_list("catalog_key", flat=True)) == {
        "wohnsitz-anmelden",
        "personalausweis",
        "reisepass",
        "fuehrungszeugnis",
        "eheschliessung",
    }
    # and a citizen finds free days for residence registration and for giving notice of marriage
    today = timezone.localdate()
    for office, name in [(offices[0], "Wohnsitz anmelden"), (offices[1], "Eheschließung anmelden")]:
        service = office.office_services.get(service__name=name).service
        days = schedule.available_days(
            office, [service.pk], today, today.replace(year=today.year + 1)
        )
        assert len(days) > 20
        # but not on the days the catalogue says the office is closed (Christmas)
        closure = office.closures.get()
        assert not [d for d in days if closure.first_day <= d <= closure.last_day]


def test_a_district_books_at_its_road_traffic_and_public_order_offices(district):
    catalog_demo.seed_library()
    catalog_demo.seed_tenant(district)
    with schema_context(district.schema_name):
        assert seed_appointments() is True
        bookable = Office.objects.filter(booking_policy__isnull=False).order_by("slug")
        assert [o.slug for o in bookable] == ["ordnung", "zulassung"]
        assert "kfz-zulassung" in BookableService.objects.values_list("catalog_key", flat=True)
        assert not Appointment.objects.exists()  # no clerk given: no bookings
