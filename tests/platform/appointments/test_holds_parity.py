"""The booking rules answer the same on the pages and through the API: the holds per session,
the booking rate limit and the module switch (same refusal, same rows)."""

from __future__ import annotations

import json

from django.test import override_settings
from test_appointments_pages import walk_to_details

from portalwerk.graphql.appointments.types import global_id
from portalwerk.platform.appointments.models import Appointment, Status
from portalwerk.tenants import routing
from portalwerk.tenants.models import Tenant

HOLD = """mutation ($input: HoldAppointmentInput!) {
  holdAppointment(input: $input) { appointment { status } errors { field code message } } }"""


def api_hold(client, setup, starts_at: str, email: str) -> dict:
    variables = {
        "input": {
            "serviceIds": [str(global_id("AppointmentService", setup.id_card.pk))],
            "officeId": str(global_id("AppointmentOffice", setup.office.pk)),
            "startsAt": starts_at,
            "name": "Api Anna",
            "email": email,
        }
    }
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": HOLD, "variables": variables}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["holdAppointment"]


def test_the_third_hold_of_a_session_is_refused_on_pages_and_api(setup, client_for, tenant_a):
    # given a browser and an API client, each holding two times (the allowance per session)
    browser, app = client_for(tenant_a), client_for(tenant_a)
    for n, pick in enumerate((0, 6)):
        url, _start = walk_to_details(browser, setup, pick=pick)
        assert browser.post(url, {"name": "A", "email": f"page{n}@example.org"}).status_code == 302
    for n, pick in enumerate((12, 18)):
        _url, start = walk_to_details(client_for(tenant_a), setup, pick=pick)
        assert api_hold(app, setup, start, f"api{n}@example.org")["errors"] == []
    # when each asks for a third
    url, _start = walk_to_details(browser, setup, pick=24)
    page = browser.post(url, {"name": "A", "email": "page3@example.org"})
    _url, start = walk_to_details(client_for(tenant_a), setup, pick=30)
    refused = api_hold(app, setup, start, "api3@example.org")
    # then both are refused with the same message, and only the four holds exist
    assert page.status_code == 400
    assert refused["appointment"] is None
    [error] = refused["errors"]
    assert error["code"] == "too_many_holds"
    assert error["message"] in page.content.decode()
    assert Appointment.objects.filter(status=Status.HELD).count() == 4


@override_settings(PORTALWERK_APPOINTMENT_LIMITS={"hold_per_ip_per_hour": 1})
def test_the_booking_limit_per_address_refuses_on_pages_and_api(setup, client_for, tenant_a):
    browser = client_for(tenant_a)
    url, _start = walk_to_details(browser, setup)
    assert browser.post(url, {"name": "A", "email": "a@example.org"}).status_code == 302
    # when the same connection holds again, on the pages and through the API
    url, start = walk_to_details(browser, setup, pick=6)
    page = browser.post(url, {"name": "A", "email": "b@example.org"})
    refused = api_hold(client_for(tenant_a), setup, start, "c@example.org")
    # then both are refused with the same message and only the first hold exists
    assert page.status_code == 429
    [error] = refused["errors"]
    assert error["code"] == "rate_limited"
    assert error["message"] in page.content.decode()
    assert Appointment.objects.count() == 1


def test_a_switched_off_appointments_module_refuses_on_pages_and_api(setup, client_for, tenant_a):
    browser = client_for(tenant_a)
    url, start = walk_to_details(browser, setup)
    # when the tenant switches appointments off
    Tenant.objects.filter(pk=tenant_a.pk).update(modules=["catalog", "forms", "payments"])
    routing.forget()
    # then the page is not there and the API says the module is off; nothing is held
    assert browser.post(url, {"name": "A", "email": "a@example.org"}).status_code == 404
    refused = api_hold(client_for(tenant_a), setup, start, "a@example.org")
    assert [e["code"] for e in refused["errors"]] == ["module_off"]
    assert not Appointment.objects.exists()
