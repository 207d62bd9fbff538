"""The citizen's booking flow through the pages, as a browser without JavaScript sees it."""

import datetime as dt
import html
import re
from urllib.parse import urlencode

from django.core import mail
from django.db import connection
from icalendar import Calendar

from portalwerk.platform.appointments.models import Appointment, Status
from tests.helpers.appointments import run_jobs


def links(response, pattern: str) -> list[str]:
    return [
        html.unescape(h)
        for h in re.findall(r'href="([^"]*' + pattern + r'[^"]*)"', response.content.decode())
    ]


def radio_values(response, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]+)"', response.content.decode())


def mail_link(message, path: str) -> str:
    match = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"[^\s]+)", message.body)
    assert match, message.body
    return match.group(1)


def walk_to_details(client, setup, services=None, pick: int = 0) -> tuple[str, str]:
    """services → office → day → time; returns the details URL and the chosen start."""
    services = services or [setup.id_card]
    start = client.get("/appointments/")
    assert start.status_code == 200
    for service in services:
        assert service.name in start.content.decode()
    query = "&".join(f"service={s.pk}" for s in services)
    office_page = client.get(f"/appointments/office/?{query}")
    assert setup.office.name in office_page.content.decode()
    assert radio_values(office_page, "office") == [str(setup.office.pk)]
    days = client.get(f"/appointments/days/?{query}&office={setup.office.pk}")
    assert days.status_code == 200
    day_links = links(days, "/appointments/times/")
    assert len(day_links) >= 10  # a list of days, not a calendar widget
    # the first day with enough free times (today's may have few left, late in the day)
    for day_link in day_links:
        starts = radio_values(client.get(day_link), "start")
        if len(starts) > pick:
            break
    assert len(starts) > pick
    start_param = urlencode({"start": starts[pick]})  # as a browser's GET form sends it
    return f"/appointments/details/?{query}&office={setup.office.pk}&{start_param}", starts[pick]


def test_an_anonymous_citizen_books_confirms_by_mail_moves_and_cancels(setup, client_for, tenant_a):
    client = client_for(tenant_a)
    mail.outbox.clear()
    details_url, start = walk_to_details(client, setup, [setup.id_card, setup.registration])
    # the details page shows what was chosen and asks for name and email
    details = client.get(details_url)
    assert 'autocomplete="email"' in details.content.decode()
    held = client.post(details_url, {"name": "Anna Muster", "email": "anna@example.org"})
    assert held.status_code == 302
    page = client.get(held["Location"])
    assert "Check your email" in page.content.decode()
    appointment = Appointment.objects.get(email="anna@example.org")
    assert appointment.status == Status.HELD
    assert appointment.starts_at == dt.datetime.fromisoformat(start)
    assert appointment.ends_at - appointment.starts_at == dt.timedelta(minutes=30)

    # the confirmation link arrives; opening it does not confirm yet (mail scanners follow links)
    run_jobs("send_appointment_mail")
    confirm_url = mail_link(mail.outbox[0], "/appointments/confirm/")
    assert client.get(confirm_url).status_code == 200
    assert Appointment.objects.get(pk=appointment.pk).status == Status.HELD
    confirmed = client.post(confirm_url)
    assert confirmed.status_code == 302
    assert Appointment.objects.get(pk=appointment.pk).status == Status.CONFIRMED

    # the confirmation mail has the calendar file and the manage link
    run_jobs("send_appointment_mail")
    confirmation = mail.outbox[1]
    assert confirmation.attachments[0][0] == "appointment.ics"
    manage_url = mail_link(confirmation, "/appointments/manage/")
    manage = client_for(tenant_a).get(manage_url)  # another browser: no account, no session
    assert manage.status_code == 200 and "Move the appointment" in manage.content.decode()
    ics = client.get(manage_url + "appointment.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert (
        Calendar.from_ical(ics.content).walk("VEVENT")[0].decoded("dtstart")
        == appointment.starts_at
    )

    # move: days, then times, then post the new time
    move_days = client.get(manage_url + "move/")
    day_links = links(move_days, "/move/?")
    times = client.get(day_links[1])
    new_start = radio_values(times, "start")[3]
    moved = client.post(manage_url + "move/", {"start": new_start, "date": new_start[:10]})
    assert moved.status_code == 302
    appointment.refresh_from_db()
    assert appointment.starts_at == dt.datetime.fromisoformat(new_start)
    run_jobs("send_appointment_mail")
    assert "moved" in mail.outbox[2].subject

    # cancel
    assert client.get(manage_url + "cancel/").status_code == 200
    assert client.post(manage_url + "cancel/").status_code == 302
    assert Appointment.objects.get(pk=appointment.pk).status == Status.CANCELLED
    assert "Move the appointment" not in client.get(manage_url).content.decode()


def test_a_signed_in_citizen_books_at_once(setup, client_for, tenant_a, citizen):
    client = client_for(tenant_a)
    client.sign_in(citizen.email)
    mail.outbox.clear()
    details_url, _start = walk_to_details(client, setup)
    assert citizen.email in client.get(details_url).content.decode()  # prefilled
    held = client.post(details_url, {"name": "Carla Citizen", "email": citizen.email})
    page = client.get(held["Location"])
    assert "Book this appointment" in page.content.decode()
    booked = client.post(held["Location"], {"action": "confirm"})
    assert booked.status_code == 302 and "/appointments/manage/" in booked["Location"]
    appointment = Appointment.objects.get(user=citizen)
    assert appointment.status == Status.CONFIRMED
    run_jobs("send_appointment_mail")
    assert [m.to for m in mail.outbox] == [[citizen.email]]


def test_missing_details_are_listed_in_an_error_summary(setup, client_for, tenant_a):
    client = client_for(tenant_a)
    details_url, _start = walk_to_details(client, setup)
    response = client.post(details_url, {"name": "", "email": "nope"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body
    assert 'href="#id_name"' in body and 'href="#id_email"' in body
    assert Appointment.objects.count() == 0


def test_no_service_chosen_is_an_error_not_a_crash(setup, client_for, tenant_a):
    client = client_for(tenant_a)
    response = client.get("/appointments/office/", follow=True)
    assert response.status_code == 400
    assert "Choose at least one service." in response.content.decode()


def test_a_time_taken_meanwhile_is_a_clear_message(setup, client_for, tenant_a):
    client = client_for(tenant_a)
    details_url, _start = walk_to_details(client, setup, [setup.fishing])  # one counter only
    other = client_for(tenant_a)
    assert other.post(details_url, {"name": "B", "email": "b@example.org"}).status_code == 302
    response = client.post(details_url, {"name": "A", "email": "a@example.org"})
    assert response.status_code == 400
    assert "This time has just been taken" in response.content.decode()


def test_the_held_page_belongs_to_its_session_and_wrong_tokens_are_404(setup, client_for, tenant_a):
    client = client_for(tenant_a)
    details_url, _start = walk_to_details(client, setup)
    held = client.post(details_url, {"name": "A", "email": "a@example.org"})
    stranger = client_for(tenant_a)
    assert stranger.get(held["Location"]).status_code == 404
    assert stranger.post(held["Location"], {"action": "release"}).status_code == 404
    assert stranger.get("/appointments/manage/not-a-token/").status_code == 404
    assert stranger.get("/appointments/confirm/not-a-token/").status_code == 404
    assert Appointment.objects.get().status == Status.HELD


def test_a_token_from_one_tenant_is_404_on_another(setup, client_for, tenant_a, tenant_b):
    client = client_for(tenant_a)
    details_url, _start = walk_to_details(client, setup)
    client.post(details_url, {"name": "A", "email": "a@example.org"})
    run_jobs("send_appointment_mail")
    confirm_url = mail_link(mail.outbox[-1], "/appointments/confirm/")
    assert client_for(tenant_b).get(confirm_url).status_code == 404
    assert client_for(tenant_b).post(confirm_url).status_code == 404
    # and the hold in A is untouched, its link still working there
    connection.set_tenant(tenant_a)  # the requests to B left the connection in B's schema
    assert Appointment.objects.get().status == Status.HELD
    assert client_for(tenant_a).get(confirm_url).status_code == 200


def test_the_pages_render_in_english_and_german(setup, client_for, tenant_a):
    client = client_for(tenant_a)
    german = client.get("/appointments/", HTTP_ACCEPT_LANGUAGE="de")
    assert '<html lang="de">' in german.content.decode()
    english = client.get("/appointments/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in english.content.decode()
    assert "Book an appointment" in english.content.decode()


def test_the_days_page_costs_the_same_queries_with_1_or_100_bookings(setup, client_for, tenant_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portalwerk.platform.appointments.models import Appointment as Model
    from portalwerk.platform.appointments.models import Slot

    client = client_for(tenant_a)
    url = f"/appointments/days/?service={setup.registration.pk}&office={setup.office.pk}"
    counts = []
    for bookings in (1, 100):
        Model.objects.all().delete()
        Slot.objects.all().delete()
        first_day = dt.date.today() + dt.timedelta(days=2)
        for n in range(bookings):
            day = first_day + dt.timedelta(days=n // 20)
            begins = dt.datetime.combine(day, dt.time(8, 0), tzinfo=dt.UTC) + dt.timedelta(
                minutes=10 * (n % 20)
            )
            appointment = Model.objects.create(
                office=setup.office,
                counter=setup.counters[n % 2],
                starts_at=begins,
                ends_at=begins + dt.timedelta(minutes=10),
                status=Status.CONFIRMED,
                name="x",
            )
            Slot.objects.create(
                counter=appointment.counter, starts_at=begins, appointment=appointment
            )
        client.get(url)  # warm: host and state caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len([q for q in queries if not q["sql"].startswith("SET search_path")]))
    assert counts[0] == counts[1], counts


def test_a_tenant_without_the_module_has_no_booking_pages(setup, client_for, tenant_a):
    from portalwerk.tenants import routing

    tenant_a.modules = ["catalog", "forms"]
    tenant_a.save()
    routing.forget()
    assert client_for(tenant_a).get("/appointments/").status_code == 404


def test_the_portal_home_links_to_booking(setup, client_for, tenant_a):
    body = client_for(tenant_a).get("/").content.decode()
    assert 'href="/appointments/"' in body
    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
    assert "<" not in title and "Book an appointment" not in title


def test_a_catalogue_service_link_starts_the_booking_with_that_service(setup, client_for, tenant_a):
    # given the bookable service stands for the catalogue's "personalausweis"
    setup.id_card.catalog_key = "personalausweis"
    setup.id_card.save()
    client = client_for(tenant_a)
    # when a citizen follows the catalogue page's link
    response = client.get("/appointments/personalausweis/", follow=True)
    # then they choose the office for an ID card, with its catalogue address
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose an office" in page and "ID card" in page
    assert "Marktplatz 1, 12345 Musterstadt" in page
    assert radio_values(response, "office") == [str(setup.office.pk)]
    # and a link for which nothing can be booked is not found
    assert client.get("/appointments/reisepass/").status_code == 404


def test_the_office_pages_link_offers_that_offices_services_and_skips_the_office_choice(
    setup, client_for, tenant_a
):
    from tests.helpers.appointments import make_office

    other = make_office(name="Bürgerbüro Nord")
    client = client_for(tenant_a)
    # when a citizen comes from the catalogue page of the first office
    start = client.get(f"/appointments/?office={setup.office.pk}")
    # then only its services are offered (the other office's are not), with the office named
    offered = re.findall(r'name="service" value="(\d+)"', start.content.decode())
    assert sorted(offered) == sorted(
        str(s.pk) for s in (setup.id_card, setup.registration, setup.fishing)
    )
    assert str(other.id_card.pk) not in offered
    assert "Bürgerbüro Mitte, Marktplatz 1, 12345 Musterstadt" in start.content.decode()
    # and choosing a service goes straight to that office's days
    response = client.get(
        f"/appointments/office/?office={setup.office.pk}&service={setup.id_card.pk}"
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/appointments/days/")
    assert f"office={setup.office.pk}" in response["Location"]
    # an office that takes no appointments is not found
    other.office.booking_policy.is_active = False
    other.office.booking_policy.save()
    assert client.get(f"/appointments/?office={other.office.pk}").status_code == 404
