"""The clerk's day view: who may see it, arrival and no-show, booking and cancelling on behalf,
closing the day; its query count does not grow with the number of appointments."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.appointments import schedule, services
from portalwerk.platform.appointments.models import (
    Appointment,
    OfficeBookingPolicy,
    Status,
)
from portalwerk.platform.audit.models import Entry as AuditEntry
from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.catalog import pagecache
from portalwerk.platform.catalog.models import Office
from tests.helpers.appointments import PASSWORD, at, run_jobs

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
        actor=from_user(clerk),
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
    # the next working day (day + 1 is a Saturday when `day` is a Friday: the office is closed)
    other_day = next_workday(min_days=(day - timezone.localdate()).days + 1)
    book(setup, clerk, other_day, "09:00", "Other Day")
    client = signed_in(client_for, tenant_a, clerk.email)
    response = client.get(f"{DAY_VIEW}?office={setup.office.pk}&date={day.isoformat()}")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Anna Alpha" in body and "Bert Beta" in body and "Other Day" not in body
    assert body.index("Counter 1") < body.index("Anna Alpha") < body.index("Counter 2")
    assert body.index("Counter 2") < body.index("Bert Beta")
    # looking at citizens' data is recorded
    viewed = AuditEntry.objects.get(action="appointment.day_viewed")
    assert viewed.actor_user_id == clerk.pk and viewed.object_id == str(setup.office.pk)
    assert viewed.detail == {"day": day.isoformat()}


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
    assert AuditEntry.objects.filter(
        action="appointment.arrived", actor_user_id=clerk.pk, object_id=str(first.pk)
    ).exists()


def test_arrival_is_offered_only_once_the_appointment_has_begun(setup, clerk, client_for, tenant_a):
    today = timezone.localdate()
    started = book(setup, clerk, next_workday(), "09:00", "Anna")
    later = book(setup, clerk, next_workday(), "09:30", "Bert")
    now = timezone.now()
    # begun, and today: shortly after midnight five minutes ago is yesterday's day view
    midnight = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    Appointment.objects.filter(pk=started.pk).update(
        starts_at=max(now - dt.timedelta(minutes=5), midnight),
        ends_at=now + dt.timedelta(minutes=10),
    )
    Appointment.objects.filter(pk=later.pk).update(
        starts_at=now + dt.timedelta(minutes=1), ends_at=now + dt.timedelta(minutes=20)
    )
    client = signed_in(client_for, tenant_a, clerk.email)
    page = client.get(f"{DAY_VIEW}?office={setup.office.pk}&date={today.isoformat()}")
    html = page.content.decode()
    forms = [part for part in html.split("<tr>") if "/act/" in part]
    row_of = {name: next(p for p in forms if name in p) for name in ("Anna", "Bert")}
    assert 'value="arrived"' in row_of["Anna"] and 'value="no_show"' in row_of["Anna"]
    assert 'value="arrived"' not in row_of["Bert"] and 'value="no_show"' not in row_of["Bert"]
    assert 'value="cancel"' in row_of["Bert"]
    # the rule is the service's: a request sent anyway changes nothing
    response = client.post(f"{DAY_VIEW}{later.pk}/act/", {"action": "arrived"}, follow=True)
    assert "has not begun yet" in response.content.decode()
    assert Appointment.objects.get(pk=later.pk).status == Status.CONFIRMED
    assert not AuditEntry.objects.filter(action="appointment.arrived").exists()


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
    # "Cancel" asks first: nothing changes until the clerk confirms
    asked = client.post(f"{DAY_VIEW}{appointment.pk}/act/", {"action": "cancel"})
    assert "Phone Caller" in asked.content.decode() and 'name="confirmed"' in asked.content.decode()
    assert Appointment.objects.get(pk=appointment.pk).status == Status.CONFIRMED
    done = client.post(
        f"{DAY_VIEW}{appointment.pk}/act/", {"action": "cancel", "confirmed": "yes"}, follow=True
    )
    assert Appointment.objects.get(pk=appointment.pk).status == Status.CANCELLED
    assert 'role="status"' in done.content.decode()
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


def test_closing_the_day_says_what_it_will_do_before_doing_it(
    setup, clerk, client_for, tenant_a, day
):
    book(setup, clerk, day, "09:00", "Anna Alpha")
    book(setup, clerk, day, "09:30", "Bert Beta")
    client = signed_in(client_for, tenant_a, clerk.email)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    close = f"{DAY_VIEW}close/?office={setup.office.pk}&date={day.isoformat()}"
    # the first click only asks
    asked = client.post(close, {"note": "Betriebsausflug"}).content.decode()
    assert "2 Termine werden abgesagt." in asked and "2 Personen erhalten eine E-Mail." in asked
    assert "Ja, schließen und 2 Termine absagen" in asked
    assert 'value="Betriebsausflug"' in asked
    assert set(Appointment.objects.values_list("status", flat=True)) == {Status.CONFIRMED}
    assert schedule.available_days(setup.office, [setup.registration.pk], day, day) == [day]
    # confirmed, it is done
    client.post(close, {"note": "Betriebsausflug", "confirmed": "yes"})
    assert set(Appointment.objects.values_list("status", flat=True)) == {Status.CANCELLED}
    assert schedule.available_days(setup.office, [setup.registration.pk], day, day) == []


def test_a_day_closed_by_a_clerk_is_listed_on_the_public_office_page(
    setup, clerk, client_for, tenant_a, day, django_capture_on_commit_callbacks
):
    visitor = client_for(tenant_a)
    page = f"/offices/{setup.office.slug}/"
    assert "Closures" not in visitor.get(page).content.decode()  # now in the page cache
    client = signed_in(client_for, tenant_a, clerk.email)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"{DAY_VIEW}close/?office={setup.office.pk}&date={day.isoformat()}",
            {"note": "Betriebsausflug", "confirmed": "yes"},
        )
    html = visitor.get(page).content.decode()
    assert "Closures" in html
    assert day.strftime("%m/%d/%Y") in html
    assert "Betriebsausflug" not in html  # the note is for staff only


@pytest.mark.parametrize("count", [1, 30])
def test_the_day_view_query_count_does_not_grow(setup, clerk, client_for, tenant_a, day, count):
    for n in range(count):
        hour, minute = divmod(8 * 60 + (n // 2) * 10, 60)
        book(setup, clerk, day, f"{hour:02}:{minute:02}", f"Citizen {n}")
    client = signed_in(client_for, tenant_a, clerk.email)
    url = f"{DAY_VIEW}?office={setup.office.pk}&date={day.isoformat()}"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.content.decode().count("<td>Citizen ") == count
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
        "/backoffice/appointments/bookableoffice/",
        f"/backoffice/appointments/bookableoffice/{office}/change/",
        f"/backoffice/appointments/counter/{setup.counters[0].pk}/change/",
        "/backoffice/appointments/bookableservice/",
        "/backoffice/appointments/appointment/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    change = client.get(f"/backoffice/appointments/bookableoffice/{office}/change/")
    html = change.content.decode()
    # the office's name and address are the catalogue's, shown; the rules and counters edited
    assert "Bürgerbüro Mitte" in html and "Marktplatz 1, 12345 Musterstadt" in html
    assert 'name="booking_policy-0-granularity_minutes"' in html
    assert "ID card" in html and "Counter 1" in html
    # offices are added in the catalogue, not here
    assert client.get("/backoffice/appointments/bookableoffice/add/").status_code == 403
    day = client.get(DAY_VIEW).content.decode()
    assert "/backoffice/appointments/bookableoffice/" in day


class _FormFields(HTMLParser):
    """The values a browser would submit from the page's forms (inputs, selects, textareas)."""

    def __init__(self):
        super().__init__()
        self.data: list[tuple[str, str]] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            checkable = a.get("type") in ("checkbox", "radio")
            self.data.append((a["name"], a.get("value") or ("on" if checkable else "")))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.data.append((self._select, a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.data.append((a["name"], ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_fields(html: str) -> dict[str, list[str]]:
    parser = _FormFields()
    parser.feed(html)
    fields: dict[str, list[str]] = {}
    for name, value in parser.data:
        fields.setdefault(name, []).append(value)
    return fields


def test_a_clerk_makes_a_catalogue_office_bookable_and_its_page_says_so(
    in_alpha, clerk, client_for, tenant_a
):
    # given a catalogue office that takes no appointments yet
    office = Office.objects.create(
        slug="standesamt", name_de="Standesamt", street="Rathausplatz 1", postcode="12345",
        city="Alphastadt",
    )  # fmt: skip
    portal = client_for(tenant_a)
    assert "Book an appointment" not in portal.get("/offices/standesamt/").content.decode()
    client = signed_in(client_for, tenant_a, clerk.email)
    url = f"/backoffice/appointments/bookableoffice/{office.pk}/change/"
    fields = form_fields(client.get(url).content.decode())
    fields.pop("_save", None)
    # when the clerk fills in the booking rules and saves
    fields["booking_policy-0-granularity_minutes"] = ["10"]
    fields["booking_policy-0-horizon_days"] = ["30"]
    response = client.post(url, fields)
    # then the office takes appointments with those rules
    assert response.status_code == 302
    policy = OfficeBookingPolicy.objects.get(office=office)
    assert (policy.is_active, policy.granularity_minutes, policy.horizon_days) == (True, 10, 30)
    # and its catalogue page leads to the booking, with the office chosen
    page = client_for(tenant_a).get("/offices/standesamt/").content.decode()
    assert f'href="/appointments/?office={office.pk}"' in page
    # while switched off, it does not
    policy.is_active = False
    policy.save()
    pagecache.bump()
    assert "Book an appointment" not in portal.get("/offices/standesamt/").content.decode()
