"""The clerk's day view: who may see it, arrival and no-show, booking and cancelling on behalf,
closing the day; its query count does not grow with the number of appointments."""

import datetime as dt

import pytest
from appointment_helpers import PASSWORD, at, run_jobs
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.appointments import schedule, services
from portalwerk.platform.appointments.models import Appointment, AuditEntry, Status

DAY_VIEW = "/backoffice/appointments/"


def next_workday(min_days: int = 2) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=min_days)
    closed = schedule.public_holidays("NW", day, day + dt.timedelta(days=14))
    while day.weekday() >= 5 or day in closed:
        day += dt.timedelta(days=1)
    return day


@pytest.fixture
def day():
    return next_workday()


def book(setup, clerk, day, hhmm, name="Citizen", service=None):
    return services.book_on_behalf(
        actor=clerk,
        office=setup.office,
        service_ids=[(service or setup.registration).id],
        starts_at=at(day, hhmm),
        name=name,
        email=f"{name.lower().replace(' ', '')}@example.org",
    )


def signed_in(client_for, tenant, email):
    client = client_for(tenant)
    response = client.sign_in(email)
    assert response.status_code == 302, response.content
    return client


def test_a_clerk_sees_the_days_appointments_per_counter(setup, clerk, client_for, tenant_a, day):
    book(setup, clerk, day, "09:00", "Anna Alpha")
    book(setup, clerk, day, "09:00", "Bert Beta")
    book(setup, clerk, day + dt.timedelta(days=1), "09:00", "Other Day")
    client = signed_in(client_for, tenant_a, clerk.email)
    response = client.get(f"{DAY_VIEW}?office={setup.office.pk}&date={day.isoformat()}")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Anna Alpha" in body and "Bert Beta" in body and "Other Day" not in body
    assert body.index("Counter 1") < body.index("Anna Alpha") < body.index("Counter 2")
    assert body.index("Counter 2") < body.index("Bert Beta")
    # looking at citizens' data is recorded
    viewed = AuditEntry.objects.get(action="view_day")
    assert viewed.actor == clerk.email and viewed.detail["count"] == 2


@pytest.mark.parametrize("who", ["anonymous", "citizen"])
def test_citizens_and_strangers_do_not_get_the_day_view(
    setup, clerk, client_for, tenant_a, day, who, citizen
):
    book(setup, clerk, day, "09:00", "Anna Alpha")
    client = (
        client_for(tenant_a)
        if who == "anonymous"
        else signed_in(client_for, tenant_a, citizen.email)
    )
    response = client.get(f"{DAY_VIEW}?office={setup.office.pk}&date={day.isoformat()}")
    assert response.status_code == 302 and "/login/" in response["Location"]
    appointment = Appointment.objects.get()
    posted = client.post(f"{DAY_VIEW}{appointment.pk}/act/", {"action": "cancel"})
    assert posted.status_code == 302 and "/login/" in posted["Location"]
    assert Appointment.objects.get().status == Status.CONFIRMED


def test_another_tenants_clerk_cannot_sign_in_here(
    setup, clerk, client_for, tenant_a, other_tenant_clerk, day
):
    book(setup, clerk, day, "09:00", "Anna Alpha")
    client = client_for(tenant_a)
    assert client.sign_in(other_tenant_clerk.email).status_code == 400
    response = client.get(DAY_VIEW)
    assert response.status_code == 302
    assert "Anna Alpha" not in response.content.decode()


def test_a_clerk_marks_arrival_and_no_show(setup, clerk, client_for, tenant_a):
    today = timezone.localdate()
    first = book(setup, clerk, next_workday(), "09:00", "Anna")
    second = book(setup, clerk, next_workday(), "09:30", "Bert")
    # move both to "today" in the database, as if the day had come
    for appointment in (first, second):
        Appointment.objects.filter(pk=appointment.pk).update(
            starts_at=timezone.now() - dt.timedelta(minutes=5), ends_at=timezone.now()
        )
    client = signed_in(client_for, tenant_a, clerk.email)
    client.post(f"{DAY_VIEW}{first.pk}/act/", {"action": "arrived"})
    client.post(f"{DAY_VIEW}{second.pk}/act/", {"action": "no_show"})
    assert Appointment.objects.get(pk=first.pk).status == Status.ARRIVED
    assert Appointment.objects.get(pk=second.pk).status == Status.NO_SHOW
    page = client.get(f"{DAY_VIEW}?office={setup.office.pk}&date={today.isoformat()}")
    assert "Did not come" in page.content.decode()
    assert AuditEntry.objects.filter(action="arrived", actor=clerk.email).exists()


def test_a_reader_sees_but_cannot_change(setup, clerk, client_for, tenant_a, day):
    appointment = book(setup, clerk, day, "09:00", "Anna Alpha")
    User.objects.create_user("reader@alpha.example", PASSWORD, role=Role.CLERK_READER)
    client = signed_in(client_for, tenant_a, "reader@alpha.example")
    page = client.get(f"{DAY_VIEW}?office={setup.office.pk}&date={day.isoformat()}")
    assert "Anna Alpha" in page.content.decode()
    assert 'value="cancel"' not in page.content.decode()
    client.post(f"{DAY_VIEW}{appointment.pk}/act/", {"action": "cancel"})
    assert Appointment.objects.get().status == Status.CONFIRMED


def test_a_clerk_books_and_cancels_on_behalf(setup, clerk, client_for, tenant_a, day):
    client = signed_in(client_for, tenant_a, clerk.email)
    mail.outbox.clear()
    query = f"?office={setup.office.pk}&date={day.isoformat()}"
    # the day view lists the free times for the chosen services
    services_query = f"&service={setup.id_card.pk}&service={setup.registration.pk}"
    page = client.get(f"{DAY_VIEW}{query}{services_query}").content.decode()
    assert '<option value="10:00">' in page and '<option value="11:35">' not in page
    client.post(
        f"{DAY_VIEW}book/{query}",
        {
            "services": [setup.id_card.pk, setup.registration.pk],
            "start": "10:00",
            "name": "Phone Caller",
            "email": "caller@example.org",
        },
    )
    appointment = Appointment.objects.get(name="Phone Caller")
    assert appointment.status == Status.CONFIRMED and appointment.booked_by_clerk
    assert appointment.ends_at - appointment.starts_at == dt.timedelta(minutes=30)
    client.post(f"{DAY_VIEW}{appointment.pk}/act/", {"action": "cancel"})
    assert Appointment.objects.get(pk=appointment.pk).status == Status.CANCELLED
    run_jobs("send_appointment_mail")
    assert [m.to for m in mail.outbox] == [["caller@example.org"]] * 2


def test_a_full_time_booked_on_behalf_shows_a_message(setup, clerk, client_for, tenant_a, day):
    book(setup, clerk, day, "10:00", "First", service=setup.fishing)
    client = signed_in(client_for, tenant_a, clerk.email)
    query = f"?office={setup.office.pk}&date={day.isoformat()}"
    response = client.post(
        f"{DAY_VIEW}book/{query}",
        {"services": [setup.fishing.pk], "start": "10:00", "name": "Second"},
        follow=True,
    )
    assert "This time has just been taken" in response.content.decode()
    assert not Appointment.objects.filter(name="Second").exists()


def test_closing_the_day_from_the_day_view(setup, clerk, client_for, tenant_a, day):
    book(setup, clerk, day, "09:00", "Anna Alpha")
    client = signed_in(client_for, tenant_a, clerk.email)
    client.post(f"{DAY_VIEW}close/?office={setup.office.pk}&date={day.isoformat()}")
    assert Appointment.objects.get().status == Status.CANCELLED
    assert schedule.available_days(setup.office, [setup.registration.pk], day, day) == []


@pytest.mark.parametrize("count", [1, 30])
def test_the_day_view_query_count_does_not_grow(setup, clerk, client_for, tenant_a, day, count):
    for n in range(count):
        hour, minute = divmod(8 * 60 + (n // 2) * 10, 60)
        book(setup, clerk, day, f"{hour:02}:{minute:02}", f"Citizen {n}")
    client = signed_in(client_for, tenant_a, clerk.email)
    url = f"{DAY_VIEW}?office={setup.office.pk}&date={day.isoformat()}"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.content.decode().count("Citizen ") == count
    statements = [q for q in queries if not q["sql"].startswith("SET search_path")]
    assert len(statements) <= 14, [q["sql"][:80] for q in statements]


@pytest.mark.parametrize("persona", ["clerk", "tenant_admin"])
def test_staff_configure_offices_counters_and_services(
    setup, client_for, tenant_a, persona, request
):
    user = request.getfixturevalue(persona)
    client = signed_in(client_for, tenant_a, user.email)
    office = setup.office.pk
    for url in [
        "/backoffice/appointments/office/",
        f"/backoffice/appointments/office/{office}/change/",
        "/backoffice/appointments/office/add/",
        f"/backoffice/appointments/counter/{setup.counters[0].pk}/change/",
        "/backoffice/appointments/bookableservice/",
        "/backoffice/appointments/appointment/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    change = client.get(f"/backoffice/appointments/office/{office}/change/").content.decode()
    assert "Bürgerbüro Mitte" in change and "ID card" in change and "Counter 1" in change
    day = client.get(DAY_VIEW).content.decode()
    assert "/backoffice/appointments/office/" in day
