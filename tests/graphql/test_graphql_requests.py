"""Requests the endpoint refuses as a whole, always as GraphQL JSON in the user's language: a body
too large, not JSON, too deep or not an object; several operations without a name. Suggestions
stay off while introspection is; a rate limit inside a query has its own code."""

from __future__ import annotations

import json
import logging

import pytest
import strawberry
from django.test import override_settings
from django_tenants.utils import schema_context

from portalwerk.graphql.appointments.types import global_id
from portalwerk.graphql.core.permissions import AllowAnonymous
from portalwerk.graphql.core.schema import build_schema
from tests.helpers.appointments import make_office


def post(client, body: str | bytes, **headers):
    return client.post("/graphql/", data=body, content_type="application/json", **headers)


def refusal(response, status: int, code: str) -> str:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == code
    return error["message"]


def test_a_body_over_the_limit_is_refused_with_413(client_for, tenant_a):
    body = json.dumps({"query": "{ __typename }", "variables": {"x": "a" * 2_000}})
    with override_settings(GRAPHQL_MAX_BODY_BYTES=1_000):
        response = post(client_for(tenant_a), body)
    message = refusal(response, 413, "request_too_large")
    assert message == "Die Anfrage ist größer als 1000 Bytes."


def test_a_body_over_djangos_own_limit_is_refused_the_same_way(client_for, tenant_a):
    body = json.dumps({"query": "{ __typename }", "variables": {"x": "a" * 3_000_000}})
    refusal(post(client_for(tenant_a), body, HTTP_ACCEPT_LANGUAGE="en"), 413, "request_too_large")


@pytest.mark.parametrize(
    ("body", "german"),
    [
        ("[" * 10_000 + "]" * 10_000, "zu tief verschachtelt"),
        ('{"query": "{ __typename }", "variables": ' + '{"a":' * 10_000 + "1" + "}" * 10_001,
         "zu tief verschachtelt"),
        ("[1, 2]", "muss ein JSON-Objekt sein"),
        ('"{ __typename }"', "muss ein JSON-Objekt sein"),
        ("42", "muss ein JSON-Objekt sein"),
        ("null", "muss ein JSON-Objekt sein"),
        ("{not json", "kein gültiges JSON"),
    ],
)  # fmt: skip
def test_bodies_that_are_no_graphql_request_get_a_json_400(client_for, tenant_a, body, german):
    assert german in refusal(post(client_for(tenant_a), body), 400, "bad_request")


def test_several_operations_need_an_operation_name(client_for, tenant_a):
    document = "query A { tenant { name } } query B { __typename }"
    client = client_for(tenant_a)
    unnamed = post(client, json.dumps({"query": document}), HTTP_ACCEPT_LANGUAGE="en").json()
    named = post(client, json.dumps({"query": document, "operationName": "B"})).json()
    assert unnamed["data"] is None
    assert unnamed["errors"][0]["extensions"]["code"] == "operation_name_required"
    assert "name the one to run in operationName" in unnamed["errors"][0]["message"]
    assert named == {"data": {"__typename": "Query"}}


def test_an_unknown_operation_name_is_refused_in_the_users_language(client_for, tenant_a):
    body = json.dumps({"query": "query A { __typename }", "operationName": "Z"})
    message = refusal(post(client_for(tenant_a), body), 400, "bad_request")
    assert "keine Operation" in message


def test_a_document_without_an_operation_is_refused(client_for, tenant_a):
    body = json.dumps({"query": "fragment F on Query { __typename }"})
    message = refusal(post(client_for(tenant_a), body), 400, "bad_request")
    assert message == "Das Dokument enthält keine Operation, die ausgeführt werden kann."


HOLD = """mutation ($input: HoldAppointmentInput!) { holdAppointment(input: $input) {
  errors { code } } }"""
TYPO_INPUT = {
    "serviceIds": [],
    "officeId": "x",
    "startsAt": "2026-06-01T10:00:00",
    "name": "x",
    "emial": "x",
}


def test_no_suggestions_while_introspection_is_off(client_for, tenant_a, settings):
    client = client_for(tenant_a)
    settings.DEBUG = False
    field = post(client, json.dumps({"query": "{ tenan { name } }"})).json()
    variable = post(client, json.dumps({"query": HOLD, "variables": {"input": TYPO_INPUT}})).json()
    messages = [e["message"] for e in field["errors"] + variable["errors"]]
    assert messages and not any("Did you mean" in m for m in messages), messages
    # in development, with introspection on, they help
    settings.DEBUG = True
    field = post(client, json.dumps({"query": "{ tenan { name } }"})).json()
    variable = post(client, json.dumps({"query": HOLD, "variables": {"input": TYPO_INPUT}})).json()
    assert "Did you mean 'tenant'" in field["errors"][0]["message"]
    assert "Did you mean 'email'" in variable["errors"][0]["message"]


DAYS = "query ($s: [ID!]!, $o: ID!) { availableDays(serviceIds: $s, officeId: $o) }"


def test_a_rate_limit_inside_a_query_has_its_own_code_and_message(client_for, tenant_a, settings):
    # given an office and a search limit of one request a minute
    settings.PORTALWERK_APPOINTMENT_LIMITS = {"search_per_ip_per_minute": 1}
    with schema_context(tenant_a.schema_name):
        setup = make_office()
        variables = {
            "s": [str(global_id("AppointmentService", setup.id_card.pk))],
            "o": str(global_id("AppointmentOffice", setup.office.pk)),
        }
    client = client_for(tenant_a)
    first = post(client, json.dumps({"query": DAYS, "variables": variables}))
    assert first.status_code == 200 and first.json()["data"]["availableDays"]
    # when a second search follows at once
    second = post(client, json.dumps({"query": DAYS, "variables": variables}))
    # then it is refused as a rate limit, not as "Unexpected error."
    assert second.status_code == 429
    [error] = second.json()["errors"]
    assert error["extensions"] == {"code": "rate_limited"}
    assert error["message"].startswith("Zu viele Anfragen")


@strawberry.type
class Query:
    @strawberry.field(permission_classes=[AllowAnonymous])
    def crash(self) -> str:
        raise RuntimeError("relation t_alpha.accounts_user: anna@example.com")

    @strawberry.field(permission_classes=[AllowAnonymous])
    def echo(self, email: int) -> int:
        return email


schema = build_schema(Query)


def test_expected_errors_are_one_line_without_personal_data(caplog):
    # given a variable that does not fit its type, holding an email address
    caplog.set_level(logging.INFO)
    result = schema.execute_sync(
        "query Q($e: Int!) { echo(email: $e) }", variable_values={"e": "anna@example.com"}
    )
    assert result.errors
    # then the log says what was refused, in one line without the address or a traceback
    records = [r for r in caplog.records if r.name.startswith(("portalwerk.graphql", "strawberry"))]
    assert [r.getMessage() for r in records] == [
        "graphql refused: code=graphql_validation operation=Q path=-"
    ]
    assert records[0].exc_info is None


def test_unexpected_errors_keep_their_traceback(caplog, settings):
    settings.DEBUG = False
    result = schema.execute_sync("{ crash }")
    assert [e.message for e in result.errors] == ["Unexpected error."]
    [record] = [r for r in caplog.records if r.name == "strawberry.execution"]
    assert record.levelno == logging.ERROR
    assert record.exc_info and record.exc_info[0] is RuntimeError


def test_a_refused_mutation_is_one_line_too(client_for, tenant_a, caplog):
    # given an anonymous client and a clerk's mutation with a message that names a citizen
    caplog.set_level(logging.INFO, logger="portalwerk.graphql")
    query = """mutation Send($id: ID!) { sendMessage(id: $id, body: "Anna Muster, Weg 1") {
      errors { code } } }"""
    body = post(client_for(tenant_a), json.dumps({"query": query, "variables": {"id": "x"}}))
    # when it is refused, the payload says so and the log has one line without the text
    assert body.json()["data"]["sendMessage"]["errors"] == [{"code": "permission_denied"}]
    lines = [r.getMessage() for r in caplog.records if r.name == "portalwerk.graphql"]
    assert lines == ["graphql refused: code=permission_denied operation=Send path=sendMessage"]
