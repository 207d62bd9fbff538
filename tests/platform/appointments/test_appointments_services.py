"""Hold, confirm, cancel, reschedule, clerk operations and jobs, through the service functions."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from icalendar import Calendar

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.appointments import access, services
from portalwerk.platform.appointments.errors import Code, NotFound
from portalwerk.platform.appointments.models import (
    Appointment,
    OpeningException,
    Slot,
    Status,
)
from portalwerk.platform.appointments.services import retry
from portalwerk.platform.audit.models import Entry as AuditEntry
from portalwerk.platform.authz.actors import anonymous, from_user
from tests.helpers.appointments import NOW, at, deferred_jobs, make_office, run_jobs

WEDNESDAY = dt.date(2027, 3, 3)


def codes(exc: ValidationError) -> set[str]:
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}


def hold(setup, hhmm="09:00", email="anna@example.org", services_=None, now=NOW, actor=None):
    return services.hold_appointment(
        actor=actor or anonymous(),
        office=setup.office,
        service_ids=[s.id for s in (services_ or [setup.id_card])],
        starts_at=at(WEDNESDAY, hhmm),
        name="Anna Muster",
        email=email,
        language="en",  # the mails' subjects are read in English below
        now=now,
    )


def test_an_anonymous_hold_waits_for_the_link_in_the_mail(setup):
    mail.outbox.clear()
    # when an anonymous citizen holds 09:00 for an ID card (20 min)
    appointment = hold(setup)
    # then the slot is held for the confirmation window and a confirmation mail is queued
    assert appointment.status == Status.HELD
    assert appointment.held_until == NOW + dt.timedelta(minutes=60)
    assert appointment.ends_at == at(WEDNESDAY, "09:20")
    assert Slot.objects.filter(appointment=appointment).count() == 4
    assert [name for name, _args in deferred_jobs("send_appointment_mail")] != []
    run_jobs("send_appointment_mail")
    (message,) = mail.outbox
    assert message.to == ["anna@example.org"]
    assert "/appointments/confirm/" in message.body
    token = message.body.split("/appointments/confirm/")[1].split("/")[0]
    # when the citizen follows the link
    found = access.get_appointment_by_token(token, purpose="confirm")
    services.confirm_appointment(
        actor=anonymous(), appointment=found, now=NOW + dt.timedelta(minutes=5)
    )
    # then the appointment is confirmed and a mail with an iCalendar file goes out
    run_jobs("send_appointment_mail")
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    confirmation = mail.outbox[1]
    assert "/appointments/manage/" in confirmation.body
    (name, content, mimetype) = confirmation.attachments[0]
    assert name == "appointment.ics" and mimetype == "text/calendar"
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == at(WEDNESDAY, "09:00")
    assert event.decoded("dtend") == at(WEDNESDAY, "09:20")
    assert "Bürgerbüro Mitte" in str(event.get("location"))


def test_a_signed_in_citizen_is_confirmed_without_a_mail_link(setup):
    user = User.objects.create_user("bert@example.org", "x" * 12, role=Role.CITIZEN)
    mail.outbox.clear()
    appointment = hold(setup, actor=from_user(user), email="")
    assert appointment.user == user and appointment.email == "bert@example.org"
    assert appointment.held_until == NOW + dt.timedelta(minutes=30)
    assert deferred_jobs("send_appointment_mail") == []
    services.confirm_appointment(actor=from_user(user), appointment=appointment, now=NOW)
    run_jobs()
    assert Appointment.objects.get(pk=appointment.pk).status == Status.CONFIRMED
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments


def test_the_same_request_twice_returns_the_same_hold(setup):
    first = hold(setup)
    second = hold(setup)
    assert first.pk == second.pk
    assert Appointment.objects.count() == 1


def test_an_email_address_may_hold_only_the_offices_cap(setup):
    hold(setup, "09:00")
    hold(setup, "10:00")
    with pytest.raises(ValidationError) as caught:
        hold(setup, "11:00")
    assert codes(caught.value) == {Code.EMAIL_CAP_REACHED}
    assert Appointment.objects.count() == 2


def test_a_full_time_is_refused_and_nothing_is_written(setup):
    hold(setup, email="a@example.org")
    hold(setup, email="b@example.org")
    with pytest.raises(ValidationError) as caught:
        hold(setup, email="c@example.org")
    assert codes(caught.value) == {Code.SLOT_TAKEN}
    assert not Appointment.objects.filter(email="c@example.org").exists()
    # overlapping times on both counters are taken too
    with pytest.raises(ValidationError):
        hold(setup, "09:15", email="c@example.org")


@pytest.mark.parametrize(
    ("hhmm", "service", "code"),
    [
        ("09:03", "id_card", Code.NOT_ON_GRID),
        ("11:45", "id_card", Code.NOT_OPEN),  # would run into the lunch break
        ("07:00", "id_card", Code.NOT_OPEN),
    ],
)
def test_times_the_office_does_not_offer_are_refused(setup, hhmm, service, code):
    with pytest.raises(ValidationError) as caught:
        hold(setup, hhmm, services_=[getattr(setup, service)])
    assert codes(caught.value) == {code}
    assert Appointment.objects.count() == 0


def test_times_outside_the_window_are_refused(setup):
    with pytest.raises(ValidationError) as caught:
        services.hold_appointment(
            actor=anonymous(),
            office=setup.office,
            service_ids=[setup.id_card.id],
            starts_at=at(NOW.date(), "10:00"),  # today, lead time is 24 h
            name="A",
            email="a@example.org",
            now=NOW,
        )
    assert codes(caught.value) == {Code.OUTSIDE_WINDOW}


def test_missing_contact_data_is_reported_per_field(setup):
    with pytest.raises(ValidationError) as caught:
        services.hold_appointment(
            actor=anonymous(),
            office=setup.office,
            service_ids=[setup.id_card.id],
            starts_at=at(WEDNESDAY, "09:00"),
            name=" ",
            email="not-an-address",
            now=NOW,
        )
    assert {f: [e.code for e in v] for f, v in caught.value.error_dict.items()} == {
        "name": [Code.NAME_REQUIRED],
        "email": [Code.INVALID_EMAIL],
    }


def test_a_service_another_office_offers_is_refused(setup, in_alpha):
    other = make_office(name="Other")
    with pytest.raises(ValidationError) as caught:
        hold(setup, services_=[other.id_card])
    assert codes(caught.value) == {Code.SERVICE_NOT_OFFERED}


def test_an_unconfirmed_hold_expires_and_frees_the_slot(setup):
    # given both counters held at 09:00 by anonymous citizens
    first = hold(setup, email="a@example.org")
    hold(setup, email="b@example.org")
    # when the confirmation window has passed, the hold can no longer be confirmed
    later = NOW + dt.timedelta(minutes=61)
    with pytest.raises(ValidationError) as caught:
        services.confirm_appointment(actor=anonymous(), appointment=first, now=later)
    assert codes(caught.value) == {Code.HOLD_EXPIRED}
    # and someone else gets the time, the old hold is marked expired
    third = hold(setup, email="c@example.org", now=later)
    assert third.status == Status.HELD
    assert Appointment.objects.get(pk=first.pk).status == Status.EXPIRED


def test_the_expiry_job_frees_the_slots_of_run_out_holds(setup):
    appointment = hold(setup)
    assert deferred_jobs("expire_hold")
    assert services.expire_holds(now=NOW + dt.timedelta(minutes=59)) == 0
    assert services.expire_holds(now=NOW + dt.timedelta(minutes=61)) == 1
    appointment.refresh_from_db()
    assert appointment.status == Status.EXPIRED
    assert not Slot.objects.filter(appointment=appointment).exists()


def test_a_cancelled_time_stays_blocked_for_a_while(setup):
    # given a confirmed booking on the only counter offering the fishing licence
    appointment = hold(setup, services_=[setup.fishing])
    services.confirm_appointment(actor=anonymous(), appointment=appointment, now=NOW)
    run_jobs()
    mail.outbox.clear()
    # when it is cancelled
    services.cancel_appointment(actor=anonymous(), appointment=appointment, now=NOW)
    run_jobs("send_appointment_mail")
    assert "cancelled" in mail.outbox[0].subject
    assert Appointment.objects.get(pk=appointment.pk).status == Status.CANCELLED
    # then for 30 minutes nobody can book that time, afterwards it is free again
    with pytest.raises(ValidationError) as caught:
        hold(setup, services_=[setup.fishing], email="trader@example.org", now=NOW)
    assert codes(caught.value) == {Code.SLOT_TAKEN}
    later = NOW + dt.timedelta(minutes=31)
    assert hold(setup, services_=[setup.fishing], email="b@example.org", now=later).pk


def test_releasing_a_hold_does_not_block_the_time(setup):
    appointment = hold(setup, services_=[setup.fishing])
    services.cancel_appointment(actor=anonymous(), appointment=appointment, now=NOW)
    assert hold(setup, services_=[setup.fishing], email="b@example.org").pk


def test_rescheduling_moves_the_appointment_in_one_step(setup):
    appointment = hold(setup)
    services.confirm_appointment(actor=anonymous(), appointment=appointment, now=NOW)
    run_jobs()
    mail.outbox.clear()
    moved = services.reschedule_appointment(
        actor=anonymous(), appointment=appointment, starts_at=at(WEDNESDAY, "09:10"), now=NOW
    )
    assert moved.pk == appointment.pk and moved.starts_at == at(WEDNESDAY, "09:10")
    assert moved.ends_at == at(WEDNESDAY, "09:30")
    held = sorted(Slot.objects.filter(appointment=moved).values_list("starts_at", flat=True))
    assert held == [at(WEDNESDAY, f"09:{m}") for m in ("10", "15", "20", "25")]
    run_jobs("send_appointment_mail")
    assert "moved" in mail.outbox[0].subject and mail.outbox[0].attachments


def test_rescheduling_to_a_full_time_changes_nothing(setup):
    appointment = hold(setup, services_=[setup.fishing])
    services.confirm_appointment(actor=anonymous(), appointment=appointment, now=NOW)
    hold(setup, "10:00", services_=[setup.fishing], email="b@example.org")
    with pytest.raises(ValidationError) as caught:
        services.reschedule_appointment(
            actor=anonymous(), appointment=appointment, starts_at=at(WEDNESDAY, "10:00"), now=NOW
        )
    assert codes(caught.value) == {Code.SLOT_TAKEN}
    appointment.refresh_from_db()
    assert appointment.starts_at == at(WEDNESDAY, "09:00")
    assert Slot.objects.filter(appointment=appointment).count() == 1


def test_a_clerk_books_on_behalf_confirmed_and_audited(setup, clerk):
    mail.outbox.clear()
    appointment = services.book_on_behalf(
        actor=from_user(clerk),
        office=setup.office,
        service_ids=[setup.registration.id],
        starts_at=at(WEDNESDAY, "08:00"),
        name="Carl Counter",
        email="carl@example.org",
        now=NOW,
    )
    assert appointment.status == Status.CONFIRMED and appointment.booked_by_clerk
    assert AuditEntry.objects.filter(
        object_type="appointment", object_id=str(appointment.pk), action="appointment.booked"
    ).exists()
    run_jobs()
    assert mail.outbox[0].to == ["carl@example.org"]


def test_a_clerk_marks_arrival_and_no_show_on_the_day(setup, clerk):
    first = services.book_on_behalf(
        actor=from_user(clerk),
        office=setup.office,
        service_ids=[setup.registration.id],
        starts_at=at(WEDNESDAY, "08:00"),
        name="A",
        now=NOW,
    )
    second = services.book_on_behalf(
        actor=from_user(clerk),
        office=setup.office,
        service_ids=[setup.registration.id],
        starts_at=at(WEDNESDAY, "08:30"),
        name="B",
        now=NOW,
    )
    with pytest.raises(ValidationError):  # not before the day
        services.mark_arrived(actor=from_user(clerk), appointment=first, now=NOW)
    on_the_day = at(WEDNESDAY, "08:05")
    assert services.mark_arrived(
        actor=from_user(clerk), appointment=first, now=on_the_day
    ).status == (Status.ARRIVED)
    with pytest.raises(ValidationError) as caught:  # not before its time
        services.mark_no_show(actor=from_user(clerk), appointment=second, now=on_the_day)
    assert codes(caught.value) == {Code.NOT_STARTED}
    assert services.mark_no_show(
        actor=from_user(clerk), appointment=second, now=at(WEDNESDAY, "08:45")
    ).status == (Status.NO_SHOW)
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "appointment.arrived",
        "appointment.no_show",
    }


def test_readers_and_citizens_may_not_change_appointments(setup, in_alpha):
    reader = User.objects.create_user("reader@alpha.example", "x" * 12, role=Role.CLERK_READER)
    citizen = User.objects.create_user("c@alpha.example", "x" * 12, role=Role.CITIZEN)
    appointment = hold(setup)
    for actor in (reader, citizen):
        with pytest.raises(ValidationError) as caught:
            services.mark_arrived(actor=from_user(actor), appointment=appointment, now=NOW)
        assert codes(caught.value) == {Code.PERMISSION_DENIED}
        with pytest.raises(ValidationError):
            services.close_office_day(actor=from_user(actor), office=setup.office, day=WEDNESDAY)
    assert Appointment.objects.get(pk=appointment.pk).status == Status.HELD
    assert not OpeningException.objects.exists()


def test_closing_a_day_cancels_its_appointments_and_tells_the_citizens(setup, clerk):
    appointment = hold(setup)
    services.confirm_appointment(actor=anonymous(), appointment=appointment, now=NOW)
    run_jobs()
    mail.outbox.clear()
    cancelled = services.close_office_day(
        actor=from_user(clerk), office=setup.office, day=WEDNESDAY, note="Staff meeting"
    )
    assert [a.pk for a in cancelled] == [appointment.pk]
    assert Appointment.objects.get(pk=appointment.pk).status == Status.CANCELLED
    run_jobs("send_appointment_mail")
    assert "closed" in mail.outbox[0].subject
    with pytest.raises(ValidationError) as caught:
        hold(setup, "10:00", email="b@example.org")
    assert codes(caught.value) == {Code.NOT_OPEN}


def test_the_reminder_goes_out_once_the_day_before(setup):
    appointment = hold(setup)
    services.confirm_appointment(actor=anonymous(), appointment=appointment, now=NOW)
    run_jobs()
    mail.outbox.clear()
    day_before = at(WEDNESDAY - dt.timedelta(days=1), "18:00")
    assert services.send_reminders(now=NOW) == 0  # two days before: not yet
    assert services.send_reminders(now=day_before) == 1
    assert services.send_reminders(now=day_before + dt.timedelta(hours=1)) == 0
    run_jobs("send_appointment_mail")
    (reminder,) = mail.outbox
    assert "Reminder" in reminder.subject or "Erinnerung" in reminder.subject
    assert "/appointments/manage/" in reminder.body


def test_the_periodic_jobs_iterate_the_tenants(setup):
    from portalwerk.platform.appointments import tasks

    appointment = hold(setup)
    run_out = timezone.now() - dt.timedelta(minutes=1)
    Appointment.objects.filter(pk=appointment.pk).update(held_until=run_out)
    Slot.objects.filter(appointment=appointment).update(held_until=run_out)
    done = tasks.sweep_holds(timestamp=0)
    assert done["t_alpha"] == 1 and "t_beta" in done
    connection.set_schema("t_alpha")
    assert Appointment.objects.get(pk=appointment.pk).status == Status.EXPIRED


def test_tokens_are_unguessable_and_uniform_when_wrong(setup, tenant_b):
    appointment = hold(setup)
    token = access.manage_token(appointment)
    assert access.get_appointment_by_token(token).pk == appointment.pk
    for bad in [token[:-2] + "xx", "nonsense", access.confirm_token(appointment)]:
        with pytest.raises(NotFound):
            access.get_appointment_by_token(bad)
    # a token forged with another key for the same id is refused
    forged = access.signing.dumps([appointment.pk, "guess"], salt=access.MANAGE_SALT)
    with pytest.raises(NotFound):
        access.get_appointment_by_token(forged)


def test_a_citizen_reads_only_their_own_appointments(setup, in_alpha):
    owner = User.objects.create_user("o@alpha.example", "x" * 12, role=Role.CITIZEN)
    other = User.objects.create_user("p@alpha.example", "x" * 12, role=Role.CITIZEN)
    appointment = hold(setup, actor=from_user(owner), email="")
    assert access.get_appointment_for(from_user(owner), appointment.pk).pk == appointment.pk
    for actor in (other, None):
        with pytest.raises(NotFound):
            access.get_appointment_for(from_user(actor), appointment.pk)
    with pytest.raises(NotFound):
        access.get_appointment_for(from_user(owner), 999999)


def test_deadlocks_are_retried_and_then_answered_as_busy(monkeypatch):
    from django.db import OperationalError
    from psycopg import errors as pg_errors

    monkeypatch.setattr(retry.time, "sleep", lambda seconds: None)
    calls = []

    def deadlocking(times):
        @retry._retry_on_conflict
        def book():
            calls.append(1)
            if len(calls) <= times:
                try:
                    raise pg_errors.DeadlockDetected("deadlock detected")
                except pg_errors.DeadlockDetected as cause:
                    raise OperationalError("deadlock detected") from cause
            return "booked"

        return book

    # outside any transaction (as views and the API call it) a deadlock is retried
    connection.in_atomic_block, saved = False, connection.in_atomic_block
    try:
        assert deadlocking(2)() == "booked" and len(calls) == 3
        calls.clear()
        with pytest.raises(ValidationError) as caught:
            deadlocking(retry.MAX_ATTEMPTS)()
        assert codes(caught.value) == {Code.BUSY}
        assert len(calls) == retry.MAX_ATTEMPTS
    finally:
        connection.in_atomic_block = saved


def test_calendar_files_keep_their_uid_when_moved_and_say_when_cancelled(setup):
    from portalwerk.platform.appointments import ics

    appointment = hold(setup)
    services.confirm_appointment(actor=anonymous(), appointment=appointment, now=NOW)

    def event(appointment):
        calendar = Calendar.from_ical(ics.calendar_for(access.refreshed(appointment)))
        return calendar, calendar.walk("VEVENT")[0]

    _cal, booked = event(appointment)
    services.reschedule_appointment(
        actor=anonymous(), appointment=appointment, starts_at=at(WEDNESDAY, "10:00"), now=NOW
    )
    _cal, moved = event(appointment)
    assert moved["uid"] == booked["uid"] and moved["sequence"] >= booked["sequence"]
    assert moved.decoded("dtstart") == at(WEDNESDAY, "10:00")
    services.cancel_appointment(actor=anonymous(), appointment=appointment, now=NOW)
    calendar, cancelled = event(appointment)
    assert calendar["method"] == "CANCEL" and cancelled["status"] == "CANCELLED"
    assert cancelled["uid"] == booked["uid"]


def test_personal_data_is_blanked_after_the_retention_time(setup):
    appointment = hold(setup)
    services.confirm_appointment(actor=anonymous(), appointment=appointment, now=NOW)
    ended = appointment.ends_at
    assert services.purge_personal_data(now=ended + dt.timedelta(days=89)) == 0
    assert services.purge_personal_data(now=ended + dt.timedelta(days=91)) == 1
    appointment.refresh_from_db()
    assert (appointment.name, appointment.email, appointment.phone) == ("", "", "")
    assert appointment.status == Status.CONFIRMED  # the statistics stay
    assert services.purge_personal_data(now=ended + dt.timedelta(days=92)) == 0
