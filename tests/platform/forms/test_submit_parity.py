"""The forms rules answer the same through the citizen pages and through the API: what follows a
submit with a fee, the retry of a submitted draft, the rate limits and the module switch. Each
test drives both channels against the same tenant and compares what a citizen (or the office)
sees and the rows written."""

from __future__ import annotations

import json
import re

import pytest
from django_tenants.utils import schema_context

from portalwerk.billing.payments.models import HandOver, Payment
from portalwerk.platform.forms.models import Draft, Submission
from portalwerk.tenants import routing
from portalwerk.tenants.models import Tenant
from tests.helpers.forms import FEE_ANSWERS, FEE_DEFINITION, FISHING_LICENCE, publish_form

START = (
    "mutation($slug: String!) { startForm(slug: $slug) { draft { id } errors { code message } } }"
)
SAVE = """mutation($id: ID!, $step: String!, $answers: JSON!) {
  saveStep(draftId: $id, step: $step, answers: $answers) { errors { code message } } }"""
SUBMIT = """mutation($id: ID!, $key: String!) { submitForm(draftId: $id, idempotencyKey: $key) {
  submission { reference } errors { code message } } }"""


@pytest.fixture
def fee_form(tenant_a, clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with schema_context(tenant_a.schema_name):
        return publish_form(
            clerk, "fishing-licence", FISHING_LICENCE, FEE_DEFINITION, service_key="fischerei"
        )


def api(client, query: str, **variables) -> dict:
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def html_to_check(client) -> str:
    """Start the fishing licence on the pages and answer every step; the check page's URL."""
    url = client.post("/forms/fishing-licence/")["Location"]
    base = url.rsplit("/", 2)[0]
    assert client.post(url, FEE_ANSWERS["person"]).status_code == 302
    assert client.post(f"{base}/licence/", FEE_ANSWERS["licence"]).status_code == 302
    return f"{base}/check/"


def html_submit(client, check_url: str):
    page = client.get(check_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    key = re.search(r'name="idempotency_key" value="(\w+)"', page).group(1)
    return client.post(check_url, {"idempotency_key": key}, HTTP_ACCEPT_LANGUAGE="en")


def api_fill(client) -> str:
    draft = api(client, START, slug="fishing-licence")["startForm"]
    assert draft["errors"] == []
    draft_id = draft["draft"]["id"]
    for step, answers in FEE_ANSWERS.items():
        saved = api(client, SAVE, id=draft_id, step=step, answers=answers)["saveStep"]
        assert saved["errors"] == []
    return draft_id


def switch_off(tenant: Tenant, module: str) -> None:
    modules = [m for m in Tenant.objects.get(pk=tenant.pk).modules if m != module]
    Tenant.objects.filter(pk=tenant.pk).update(modules=modules)
    routing.forget()  # the routing cache keeps tenants for a while; a real switch waits it out


def test_a_submit_with_a_fee_holds_one_hand_over_for_payment_on_pages_and_api(
    client_for, fee_form, tenant_a, clerk
):
    # given a citizen who submits the fishing licence on the pages
    browser = client_for(tenant_a)
    on_pages = html_submit(browser, html_to_check(browser))
    assert re.fullmatch(r"/pay/ALP-\d{4}-\d{6}/", on_pages["Location"])
    page_reference = on_pages["Location"].split("/")[2]
    # and one who submits it through the API
    app = client_for(tenant_a)
    submitted = api(app, SUBMIT, id=api_fill(app), key="api-1")["submitForm"]
    assert submitted["errors"] == []
    api_reference = submitted["submission"]["reference"]
    # then each submission has exactly one hand-over, held until the fee is paid
    with schema_context(tenant_a.schema_name):
        for reference in (page_reference, api_reference):
            rows = HandOver.objects.filter(submission__reference=reference)
            assert [(h.held, h.handed_over_at) for h in rows] == [(True, None)], reference
        assert not Payment.objects.exists()
    # and the office sees neither in its inbox before the fee is paid
    office = client_for(tenant_a)
    office.sign_in(clerk.email)
    inbox = office.get("/backoffice/inbox/").content.decode()
    assert page_reference not in inbox and api_reference not in inbox


def test_a_retry_of_a_submitted_draft_answers_with_the_one_submission_on_pages_and_api(
    client_for, fee_form, tenant_a
):
    # given a draft submitted on the pages and one submitted through the API
    browser = client_for(tenant_a)
    check_url = html_to_check(browser)
    first_page = html_submit(browser, check_url)
    app = client_for(tenant_a)
    draft_id = api_fill(app)
    first_api = api(app, SUBMIT, id=draft_id, key="api-1")["submitForm"]
    # when each is sent again with a fresh key (back button, a client that retries)
    again_page = browser.post(check_url, {"idempotency_key": "fresh-key"})
    again_api = api(app, SUBMIT, id=draft_id, key="fresh-key")["submitForm"]
    # then both answer with the submission that was made, and nothing more was written
    assert again_page.status_code == 302
    assert again_page["Location"] == first_page["Location"]
    assert again_api == first_api
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.count() == 2
        assert HandOver.objects.count() == 2


def test_the_start_limit_refuses_with_the_same_message_on_pages_and_api(
    client_for, fee_form, tenant_a, settings
):
    settings.PORTALWERK_FORM_RATE_LIMITS = {"start": 1, "submit": 0}
    browser = client_for(tenant_a)
    assert browser.post("/forms/fishing-licence/").status_code == 302
    # when the same connection starts again on the pages and through the API
    page = browser.post("/forms/fishing-licence/", HTTP_ACCEPT_LANGUAGE="en")
    refused = api(client_for(tenant_a), START, slug="fishing-licence")["startForm"]
    # then both refuse, with the same message, and only the first draft exists
    assert page.status_code == 429 and page["Retry-After"]
    assert refused["draft"] is None
    [error] = refused["errors"]
    assert error["code"] == "rate_limited"
    assert error["message"] in page.content.decode()
    with schema_context(tenant_a.schema_name):
        assert Draft.objects.count() == 1


def test_the_submit_limit_refuses_with_the_same_message_on_pages_and_api(
    client_for, fee_form, tenant_a, settings
):
    browser = client_for(tenant_a)
    check_url = html_to_check(browser)
    app = client_for(tenant_a)
    draft_id = api_fill(app)
    settings.PORTALWERK_FORM_RATE_LIMITS = {"start": 0, "submit": 1}
    other = client_for(tenant_a)
    assert html_submit(other, html_to_check(other)).status_code == 302  # uses the allowance
    # when both submit from the connection that used its allowance
    page = html_submit(browser, check_url)
    refused = api(app, SUBMIT, id=draft_id, key="k")["submitForm"]
    # then both refuse with the same message and no submission of theirs exists
    assert page.status_code == 429
    [error] = refused["errors"]
    assert error["code"] == "rate_limited"
    assert error["message"] in page.content.decode()
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.count() == 1


def test_a_switched_off_forms_module_refuses_on_pages_and_api(client_for, fee_form, tenant_a):
    # given a draft begun on the pages and one through the API, before the switch
    browser = client_for(tenant_a)
    check_url = html_to_check(browser)
    app = client_for(tenant_a)
    draft_id = api_fill(app)
    # when the tenant switches its forms off
    switch_off(tenant_a, "forms")
    # then the pages are not there and the API says the module is off
    assert browser.get("/forms/fishing-licence/").status_code == 404
    assert browser.post("/forms/fishing-licence/").status_code == 404
    assert browser.post(check_url, {"idempotency_key": "k"}).status_code == 404
    started = api(app, START, slug="fishing-licence")["startForm"]
    submitted = api(app, SUBMIT, id=draft_id, key="k")["submitForm"]
    assert [e["code"] for e in started["errors"]] == ["module_off"]
    assert [e["code"] for e in submitted["errors"]] == ["module_off"]
    assert started["errors"][0]["message"] == submitted["errors"][0]["message"]
    query = app.post(
        "/graphql/",
        data=json.dumps({"query": '{ form(slug: "fishing-licence") { title } }'}),
        content_type="application/json",
    ).json()
    assert [e["extensions"]["code"] for e in query["errors"]] == ["module_off"]
    # and nothing was written
    with schema_context(tenant_a.schema_name):
        assert Draft.objects.count() == 2
        assert not Submission.objects.exists()
