"""Demo data: each demo tenant gets offices with counters, hours, services and some bookings."""

from portalwerk.platform.appointments import schedule
from portalwerk.platform.appointments.demo import seed_appointments
from portalwerk.platform.appointments.models import (
    Appointment,
    Counter,
    Office,
    OpeningHours,
    Status,
)


def test_demo_appointments_are_bookable_and_seeded_once(in_alpha, clerk):
    # when the demo seeding runs twice
    assert seed_appointments(clerk=clerk) is True
    assert seed_appointments(clerk=clerk) is False
    # then there are two offices with counters, hours and services, and some bookings
    offices = list(Office.objects.order_by("name"))
    assert len(offices) == 2
    for office in offices:
        assert Counter.objects.filter(office=office).count() >= 2
        assert OpeningHours.objects.filter(office=office).exists()
        assert office.office_services.count() >= 4
    assert Appointment.objects.filter(status=Status.CONFIRMED).count() == 5
    # and a citizen finds free days for residence registration at both offices
    for office in offices:
        service = office.office_services.get(service__name="Wohnsitz anmelden").service
        from django.utils import timezone

        today = timezone.localdate()
        days = schedule.available_days(
            office, [service.pk], today, today.replace(year=today.year + 1)
        )
        assert len(days) > 20
