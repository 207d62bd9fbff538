"""Free days and times: opening hours with breaks, exceptions, holidays, window, taken slots."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portalwerk.platform.appointments import schedule
from portalwerk.platform.appointments.models import (
    Counter,
    ExceptionKind,
    OpeningException,
    OpeningHours,
    Slot,
)
from portalwerk.platform.catalog.models import Closure
from tests.helpers.appointments import NOW, at, make_office

WEDNESDAY = dt.date(2027, 3, 3)


def times(setup, services, day=WEDNESDAY, now=NOW):
    found = schedule.available_times(setup.office, [s.id for s in services], day, now=now)
    return {f.starts_at.astimezone(schedule.tz()).strftime("%H:%M"): f.capacity for f in found}


def test_times_follow_the_hours_and_skip_the_lunch_break(setup):
    # given an office open 08–16 with a break 12–13, two counters, ID card taking 20 minutes
    # when a citizen asks for the times on a Wednesday
    free = times(setup, [setup.id_card])
    # then every 5 minutes from 08:00 to 11:40 and 13:00 to 15:40 is offered, twice
    assert min(free) == "08:00" and max(free) == "15:40"
    assert "11:40" in free and "11:45" not in free and "12:30" not in free and "13:00" in free
    assert set(free.values()) == {2}
    assert len(free) == 45 + 33


def test_several_services_add_their_durations(setup):
    # ID card (20) + residence registration (10) = 30 minutes
    free = times(setup, [setup.id_card, setup.registration])
    assert "11:30" in free and "11:35" not in free and max(free) == "15:30"


def test_a_service_only_one_counter_offers_has_capacity_one(setup):
    free = times(setup, [setup.fishing, setup.id_card])
    assert set(free.values()) == {1}


def test_a_service_the_office_lacks_has_no_times(setup, in_alpha):
    other = make_office(name="Other office")
    assert times(setup, [other.id_card]) == {}


def test_taken_and_blocked_slots_reduce_capacity_until_they_free(setup):
    # given one counter's 09:00–09:15 taken by a confirmed booking and 10:00 blocked
    # after a cancellation until 08:30
    counter = setup.counters[0]
    from portalwerk.platform.appointments.models import Appointment, Status

    appointment = Appointment.objects.create(
        office=setup.office,
        counter=counter,
        starts_at=at(WEDNESDAY, "09:00"),
        ends_at=at(WEDNESDAY, "09:15"),
        status=Status.CONFIRMED,
        name="A",
    )
    for minute in (0, 5, 10):
        Slot.objects.create(
            counter=counter, starts_at=at(WEDNESDAY, f"09:{minute:02}"), appointment=appointment
        )
    Slot.objects.create(
        counter=counter,
        starts_at=at(WEDNESDAY, "10:00"),
        blocked_until=NOW + dt.timedelta(minutes=30),
    )
    # when a 5-minute service is looked up now and after the block ran out
    free_now = times(setup, [setup.fishing])
    later = times(setup, [setup.fishing], now=NOW + dt.timedelta(minutes=31))
    # then the taken units are gone, the blocked one comes back after its time
    assert "09:00" not in free_now and "09:10" not in free_now and "09:15" in free_now
    assert "10:00" not in free_now and "10:00" in later


def test_an_expired_hold_is_free_again(setup):
    from portalwerk.platform.appointments.models import Appointment, Status

    counter = setup.counters[0]
    held_until = NOW + dt.timedelta(minutes=10)
    appointment = Appointment.objects.create(
        office=setup.office,
        counter=counter,
        starts_at=at(WEDNESDAY, "09:00"),
        ends_at=at(WEDNESDAY, "09:05"),
        status=Status.HELD,
        held_until=held_until,
        name="A",
    )
    Slot.objects.create(
        counter=counter,
        starts_at=at(WEDNESDAY, "09:00"),
        appointment=appointment,
        held_until=held_until,
    )
    assert "09:00" not in times(setup, [setup.fishing])
    assert "09:00" in times(setup, [setup.fishing], now=NOW + dt.timedelta(minutes=11))


def test_public_holidays_of_the_tenants_state_are_closed(setup):
    # tenant alpha's key 05998004 lies in North Rhine-Westphalia
    assert schedule.current_state() == "NW"
    days = schedule.available_days(
        setup.office, [setup.id_card.id], dt.date(2027, 3, 22), dt.date(2027, 4, 2), now=NOW
    )
    # Good Friday (26 March) and Easter Monday (29 March) are closed, weekends anyway
    assert dt.date(2027, 3, 25) in days
    assert dt.date(2027, 3, 26) not in days and dt.date(2027, 3, 29) not in days
    assert dt.date(2027, 3, 30) in days


def test_the_state_comes_from_the_official_key():
    assert schedule.state_for_key("09162000") == "BY"
    assert schedule.state_for_key("11000000") == "BE"
    assert schedule.state_for_key("") is None
    corpus_christi = dt.date(2027, 5, 27)
    assert corpus_christi in schedule.public_holidays("NW", corpus_christi, corpus_christi)
    assert corpus_christi not in schedule.public_holidays("BE", corpus_christi, corpus_christi)


def test_an_office_may_ignore_public_holidays(setup):
    setup.office.booking_policy.observe_public_holidays = False
    setup.office.booking_policy.save()
    days = schedule.available_days(
        setup.office, [setup.id_card.id], dt.date(2027, 3, 26), dt.date(2027, 3, 26), now=NOW
    )
    assert days == [dt.date(2027, 3, 26)]


def test_the_catalogue_offices_closures_close_booking_too(setup):
    # given the catalogue says the office is closed Thursday to Friday (its portal page shows it)
    thursday, friday = WEDNESDAY + dt.timedelta(days=1), WEDNESDAY + dt.timedelta(days=2)
    Closure.objects.create(
        office=setup.office, first_day=thursday, last_day=friday, reason_de="Umzug"
    )
    # when a citizen looks for days that week
    days = schedule.available_days(
        setup.office, [setup.id_card.id], WEDNESDAY, WEDNESDAY + dt.timedelta(days=5), now=NOW
    )
    # then the closed days offer nothing; the days around them do
    assert days == [WEDNESDAY, WEDNESDAY + dt.timedelta(days=5)]


def test_exceptions_close_days_hours_and_counters_and_open_extra_days(setup):
    office = setup.office
    thursday, friday, saturday = (WEDNESDAY + dt.timedelta(days=n) for n in (1, 2, 3))
    OpeningException.objects.create(office=office, date=WEDNESDAY, kind=ExceptionKind.CLOSED)
    OpeningException.objects.create(
        office=office,
        date=thursday,
        kind=ExceptionKind.CLOSED,
        starts=dt.time(8),
        ends=dt.time(10, 2),
    )
    OpeningException.objects.create(
        office=office, counter=setup.counters[1], date=friday, kind=ExceptionKind.CLOSED
    )
    OpeningException.objects.create(
        office=office, date=saturday, kind=ExceptionKind.EXTRA, starts=dt.time(9), ends=dt.time(12)
    )
    assert times(setup, [setup.registration]) == {}
    thursday_times = times(setup, [setup.registration], day=thursday)
    assert min(thursday_times) == "10:05"
    assert set(times(setup, [setup.registration], day=friday).values()) == {1}
    saturday_times = times(setup, [setup.registration], day=saturday)
    assert min(saturday_times) == "09:00" and max(saturday_times) == "11:50"


def test_a_counters_own_hours_replace_the_offices(setup):
    # counter 2 works mornings only on Wednesdays
    OpeningHours.objects.create(
        office=setup.office,
        counter=setup.counters[1],
        weekday=2,
        opens=dt.time(8),
        closes=dt.time(10),
    )
    free = times(setup, [setup.registration])
    assert free["09:00"] == 2 and free["10:00"] == 1
    # and on other weekdays counter 2 has no hours of its own: closed
    assert set(
        times(setup, [setup.registration], day=WEDNESDAY + dt.timedelta(days=1)).values()
    ) == {1}


def test_the_booking_window_limits_the_days(setup):
    office = setup.office
    office.booking_policy.lead_time_minutes = 26 * 60  # from Tuesday 10:00
    office.booking_policy.horizon_days = 10
    office.booking_policy.save()
    days = schedule.available_days(
        office, [setup.registration.id], NOW.date(), NOW.date() + dt.timedelta(days=30), now=NOW
    )
    assert days[0] == dt.date(2027, 3, 2) and days[-1] == dt.date(2027, 3, 11)
    tuesday = times(setup, [setup.registration], day=dt.date(2027, 3, 2))
    assert min(tuesday) == "10:00"


def test_inactive_counters_offer_nothing(setup):
    Counter.objects.filter(pk=setup.counters[0].pk).update(is_active=False)
    assert times(setup, [setup.fishing]) == {}
    assert set(times(setup, [setup.registration]).values()) == {1}


def test_sixty_days_of_ten_counters_take_a_handful_of_queries(in_alpha):
    setup = make_office(counters=10)
    with CaptureQueriesContext(connection) as queries:
        days = schedule.available_days(
            setup.office,
            [setup.id_card.id],
            NOW.date(),
            NOW.date() + dt.timedelta(days=60),
            now=NOW,
        )
    # django-tenants sets the search path before each query; those are not counted
    statements = [q["sql"] for q in queries if not q["sql"].startswith("SET search_path")]
    assert len(statements) <= 6, statements
    assert len(days) > 35
