"""The logs of a whole citizen journey (sign-up, confirming the address, sign-in, a form with a
fee, the demo payment, an appointment) hold request ids, tenants, views, statuses and
durations, and none of the journey's personal data."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.db import connection
from django_tenants.utils import schema_context

from tests.helpers.appointments import make_office
from tests.helpers.forms import FEE_DEFINITION, FISHING_LICENCE, PERSON_STEP, publish_form, run_jobs

FIRST, LAST = "Wiebke", "Quandt-Ostermeier"
EMAIL = "wiebke.quandt@beispiel-post.example"
PASSWORD = "Seerosenteich-83"
STREET = "Lindenallee 17b"
IBAN = "DE89 3704 0044 0532 0130 00"
DOG = "Balduin von Hohenzollern"
CLIENT_IP = "198.51.100.77"

ADDRESS_STEP = {
    "key": "address",
    "title": {"de": "Anschrift", "en": "Address"},
    "fields": [
        {
            "key": "street",
            "type": "text",
            "required": True,
            "label": {"de": "Straße", "en": "Street"},
        },
        {"key": "iban", "type": "text", "required": True, "label": {"de": "IBAN", "en": "IBAN"}},
        {
            "key": "remark",
            "type": "text",
            "required": False,
            "label": {"de": "Hinweis", "en": "Remark"},
        },
    ],
}
DEFINITION = {**FEE_DEFINITION, "steps": [PERSON_STEP, ADDRESS_STEP, *FEE_DEFINITION["steps"][1:]]}


@pytest.fixture
def form(tenant_a, clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with schema_context(tenant_a.schema_name):
        return publish_form(
            clerk, "fishing-licence", FISHING_LICENCE, DEFINITION, service_key="fischereischein"
        )


@pytest.fixture
def office(tenant_a):
    connection.set_tenant(tenant_a)
    yield make_office()
    connection.set_schema_to_public()


def _mail_link(path: str) -> str:
    for message in reversed(mail.outbox):
        match = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"[^\s]+)", message.body)
        if match:
            return match.group(1)
    raise AssertionError(f"no mail with a link to {path}")


def _submit_form(client) -> str:
    step = client.post("/forms/fishing-licence/")["Location"]
    step = client.post(step, {"first_name": FIRST, "last_name": LAST, "email": EMAIL})["Location"]
    step = client.post(step, {"street": STREET, "iban": IBAN, "remark": DOG})["Location"]
    check = client.post(step, {"duration": "1"})["Location"]
    page = client.get(check).content.decode()
    assert STREET in page and IBAN in page  # the citizen sees their answers
    key = re.search(r'name="idempotency_key" value="(\w+)"', page).group(1)
    return client.post(check, {"idempotency_key": key})["Location"]


def _pay(client, pay_url: str) -> None:
    checkout = client.post(pay_url)["Location"]
    assert checkout.startswith("/pay/demo/")
    back = client.post(checkout, {"outcome": "pay"})["Location"]
    assert "result=success" in back
    assert client.get(back.split(client.host, 1)[-1]).status_code == 200


def _book(client, office) -> None:
    service = office.id_card
    query = f"service={service.pk}&office={office.office.pk}"
    days = client.get(f"/appointments/days/?{query}").content.decode()
    for day in re.findall(r'href="([^"]*/appointments/times/[^"]*)"', days):
        starts = re.findall(
            r'name="start" value="([^"]+)"', client.get(html.unescape(day)).content.decode()
        )
        if starts:
            break
    details = f"/appointments/details/?{query}&{urlencode({'start': starts[0]})}"
    held = client.post(details, {"name": f"{FIRST} {LAST}", "email": EMAIL})["Location"]
    booked = client.post(held, {"action": "confirm"})
    assert "/appointments/manage/" in booked["Location"]


def test_a_citizen_journey_logs_requests_and_tenant_but_no_personal_data(
    client_for, tenant_a, form, office, log_lines
):
    client = client_for(tenant_a)
    client.defaults.update(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=CLIENT_IP)
    request_ids = []
    original = client.request

    def request(**kwargs):
        response = original(**kwargs)
        request_ids.append(response["X-Request-ID"])
        return response

    client.request = request
    mail.outbox.clear()

    # given a citizen who signs up, confirms the address by the mailed link and signs in
    assert (
        client.post(
            "/accounts/sign-up/",
            {"full_name": f"{FIRST} {LAST}", "email": EMAIL, "password": PASSWORD},
        ).status_code
        == 302
    )
    with schema_context(tenant_a.schema_name):
        run_jobs()
    verify = _mail_link("/accounts/verify-email/")
    assert client.get(verify).status_code == 200
    assert (
        client.post("/accounts/sign-in/", {"email": EMAIL, "password": PASSWORD}).status_code == 302
    )
    # when they fill in and submit a form with a fee, pay it, and book an appointment
    pay_url = _submit_form(client)
    _pay(client, pay_url)
    with schema_context(tenant_a.schema_name):
        run_jobs()
    _book(client, office)
    # and a page with a query string holding a token is asked for
    client.get("/accounts/sign-in/?next=/forms/resume/secret-resume-token-42/")

    # then every request has a line with its id, the tenant, the view, the status and duration
    lines = log_lines()
    finished = [line for line in lines if line["event"] == "request_finished"]
    assert [line["request_id"] for line in finished] == request_ids
    assert {line["tenant"] for line in finished} == {"alpha"}
    assert all(isinstance(line["duration_ms"], float) for line in finished)
    views = {(line["view"], line["status"]) for line in finished}
    assert ("accounts:sign-up", 302) in views and ("forms:step", 302) in views
    assert any(view.startswith("appointments:") for view, _status in views)
    assert all(line["client_net"] == "198.51.100.0/24" for line in finished)
    # and lines logged inside a request (debug ones included) carry its id too
    assert any(line["event"] == "request_started" for line in lines)
    # and nothing of the citizen's is in any line: answers, name, address, IBAN, password,
    # the address the request came from, the mailed token, the query string
    text = lines.text
    secrets = [FIRST, LAST, EMAIL, STREET, IBAN, IBAN.replace(" ", ""), DOG, PASSWORD, CLIENT_IP]
    secrets += [
        verify.rstrip("/").rsplit("/", 1)[-1],
        "secret-resume-token-42",
        pay_url.split("/")[2],
    ]
    assert [secret for secret in secrets if secret in text] == []
