"""What reaches Sentry, received by a local ingest endpoint from the SDK's own HTTP transport:
server errors of tenant requests and crashed GraphQL operations, tagged with tenant, release
and request id, with no personal data in them; errors a user caused send nothing."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django_tenants.utils import schema_context
from wsgi_client import WsgiClient

from portalwerk.platform.errors import SCRUBBED, release
from tests.helpers.forms import publish_form

# built at run time: a report carries source lines of this file as context
NAME = " ".join(["Erika", "Mustermann"])
EMAIL = "@".join(["erika.mustermann", "beispiel-post.example"])
IBAN = " ".join(["DE89", "3704", "0044", "0532", "0130", "00"])
SESSION = "-".join(["secret", "session", "key"])
TOKEN = "-".join(["Bearer", "secret", "api", "token"])
REQUEST_ID = "proxy-req-4711-0815"

DEFINITION = {
    "steps": [
        {"key": "person", "title": "Person", "fields": [
            {"key": "full_name", "type": "text", "label": "Name", "required": True},
            {"key": "email", "type": "email", "label": "E-Mail", "required": True},
            {"key": "iban", "type": "text", "label": "IBAN", "required": True},
        ]},
    ]
}  # fmt: skip
START = "mutation($slug: String!) { startForm(slug: $slug) { draft { id } errors { code } } }"
SAVE = """mutation($id: ID!, $step: String!, $answers: JSON!) {
  saveStep(draftId: $id, step: $step, answers: $answers) {
    draft { nextStep } errors { field code } } }"""


@csrf_exempt  # as an API endpoint would be; the test client's CSRF bypass is not in this path
def _boom(request, token):
    raise RuntimeError(f"could not file the answer of {EMAIL}")


@pytest.fixture
def crashing_page(settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    settings.ROOT_URLCONF = type("Urls", (), {"urlpatterns": [path("boom/<str:token>/", _boom)]})


@pytest.fixture
def api_form(tenant_a, clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with schema_context(tenant_a.schema_name):
        return publish_form(clerk, "sentry-form", {"de": "F", "en": "F"}, DEFINITION)


@pytest.fixture
def browser(tenant_a):
    return WsgiClient(tenant_a.domains.get(is_primary=True).domain)


CSRF = "k" * 32


def _graphql(client, query: str, **variables) -> dict:
    # a browser's app: the CSRF token goes with the session cookie (graphql/core/views.py)
    client.cookies["csrftoken"] = CSRF
    _status, _headers, content = client.request(
        "POST",
        "/graphql/",
        json.dumps({"query": query, "variables": variables}).encode(),
        content_type="application/json",
        x_request_id=REQUEST_ID,
        x_csrftoken=CSRF,
    )
    return json.loads(content)


def test_a_server_error_is_reported_with_its_tags_and_without_personal_data(
    browser, crashing_page, sentry
):
    # given a signed-in browser (a session cookie) with an API token
    browser.cookies["sessionid"] = SESSION
    # when a page crashes on a form post with personal data in it
    status, headers, _content = browser.request(
        "POST",
        "/boom/resume-token-0042/?email=" + EMAIL,
        urlencode({"name": NAME, "iban": IBAN}).encode(),
        content_type="application/x-www-form-urlencoded",
        authorization=TOKEN,
        x_request_id=REQUEST_ID,
    )
    sentry.flush()
    # then the visitor got the error page, and Sentry one event
    assert status == 500
    [event] = sentry.events()
    # tagged with the tenant, the release and the request's own id (the proxy's)
    assert event["tags"]["tenant"] == "alpha"
    assert event["tags"]["request_id"] == REQUEST_ID == headers["x-request-id"]
    assert event["release"] == release() and event["tags"]["release"] == release()
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    # and without the form data, cookies, token, query string, path token or address
    request = event["request"]
    assert request["data"] == SCRUBBED and request.get("cookies", SCRUBBED) == SCRUBBED
    assert request["headers"]["Authorization"] == SCRUBBED
    assert request["url"].endswith("/boom/{token}/")
    text = json.dumps(event)
    for secret in (NAME, EMAIL, IBAN, SESSION, TOKEN, "resume-token-0042", "Mustermann"):
        assert secret not in text, secret
    # and its transaction (the trace of the request) carries the same tags, scrubbed alike
    [trace] = sentry.transactions()
    assert trace["tags"]["tenant"] == "alpha" and trace["tags"]["request_id"] == REQUEST_ID
    assert "resume-token-0042" not in json.dumps(trace) and EMAIL not in json.dumps(trace)


# a client that inlines a literal: the document text itself holds personal data
INLINED = (
    "mutation($id: ID!, $answers: JSON!) { saveStep(draftId: $id, step: "
    + json.dumps("person " + NAME)
    + ", answers: $answers) { draft { nextStep } errors { field code } } }"
)


def test_a_crashed_graphql_operation_is_reported_and_logged_without_document_or_variables(
    browser, tenant_a, api_form, sentry, log_lines
):
    # given a draft started through the API
    client = browser
    draft = _graphql(client, START, slug="sentry-form")["data"]["startForm"]["draft"]
    # when saving answers with personal data crashes in the database (its table is gone)
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{tenant_a.schema_name}".forms_draft RENAME TO gone')
    answers = {"full_name": NAME, "email": EMAIL, "iban": IBAN}
    body = _graphql(client, INLINED, id=draft["id"], answers=answers)
    sentry.flush()
    # then the client is told of an unexpected error, and Sentry gets one event for it
    assert [error["message"] for error in body["errors"]] == ["Unexpected error."]
    [event] = sentry.events()
    assert event["tags"]["tenant"] == "alpha" and event["tags"]["request_id"] == REQUEST_ID
    assert event["release"] == release()
    assert event["logentry"]["message"] == "GraphQL resolver failed at saveStep"
    assert "ProgrammingError" in json.dumps(event["exception"])
    # without the variables, the document or any answer
    text = json.dumps(event)
    for secret in (NAME, EMAIL, IBAN, "Mustermann", "saveStep(draftId"):
        assert secret not in text, secret
    # and the transaction's spans hold no document text
    for trace in sentry.transactions():
        assert "Mustermann" not in json.dumps(trace) and "saveStep(draftId" not in json.dumps(trace)
    # and the log has the crash with its traceback and where, but not the document or answers
    lines = log_lines()
    [crash] = [line for line in lines if line["event"] == "graphql_resolver_failed"]
    assert crash["path"] == "saveStep" and "ProgrammingError" in crash["exception"]
    assert crash["request_id"] == REQUEST_ID and crash["tenant"] == "alpha"
    for secret in ("Mustermann", EMAIL, IBAN, "saveStep(draftId"):
        assert secret not in lines.text, secret


def test_errors_a_user_caused_send_nothing(browser, api_form, sentry):
    client = browser
    draft = _graphql(client, START, slug="sentry-form")["data"]["startForm"]["draft"]
    # when answers fail validation, a document does not validate, a permission is missing,
    # and a page does not exist
    refused = _graphql(
        client, SAVE, id=draft["id"], step="person", answers={"full_name": NAME, "email": "x"}
    )
    invalid = _graphql(client, "query($e: String!) { nosuchfield(email: $e) }", e=EMAIL)
    forbidden = _graphql(client, "{ inbox(first: 1) { edges { node { id } } } }")
    missing, _headers, _content = client.request("GET", "/no-such-page/")
    sentry.flush()
    # then each is answered to the user
    assert {e["code"] for e in refused["data"]["saveStep"]["errors"]} >= {"invalid_email"}
    assert invalid["errors"] and forbidden["errors"] and missing == 404
    # and Sentry received no event
    assert sentry.events() == []
