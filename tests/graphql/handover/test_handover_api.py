"""The hand-over part of the tenant API: `deliveries` on the clerk's submission and the
`retryDelivery` mutation, with the authorization matrix (anonymous, citizen, other tenant,
missing permission, allowed): refusals leak nothing and change nothing."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from portalwerk.graphql.core import ids
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.handover.models import Delivery
from tests.conftest import make_user
from tests.helpers.forms import run_jobs
from tests.platform.handover.backoffice.conftest import delivery_of

DELIVERIES = """query($id: ID!) { inboxSubmission(id: $id) { reference deliveries {
  id targetName state stateText attempts lastProblem lastProblemText lastProblemDetail
  receiverReference } } }"""
RETRY = """mutation($id: ID!) { retryDelivery(id: $id) {
  delivery { state attempts } errors { field code message } } }"""


def gid(tenant, type_name: str, pk: int) -> str:
    with schema_context(tenant.schema_name):
        return str(ids.encode(type_name, pk))


def call(client, query, **variables) -> dict:
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def caller(client_for, tenant_a):
    def make(user=None, tenant=None):
        client = client_for(tenant or tenant_a)
        if user is not None:
            assert client.sign_in(user.email).status_code == 302
        return client

    return make


def test_a_clerk_reads_the_deliveries_of_a_submission_in_words(caller, tenant_a, failed, clerk):
    body = call(
        caller(clerk), DELIVERIES, id=gid(tenant_a, "ClerkSubmission", failed.submission_id)
    )
    (delivery,) = body["data"]["inboxSubmission"]["deliveries"]
    assert delivery == {
        "id": gid(tenant_a, "ClerkDelivery", failed.pk),
        "targetName": "Fachverfahren",
        "state": "FAILED",
        "stateText": "failed",
        "attempts": 2,
        "lastProblem": "receiver_error",
        "lastProblemText": "The receiving system reported an error of its own.",
        "lastProblemDetail": "HTTP 500",
        "receiverReference": "",
    }


def test_a_clerk_retries_a_failed_delivery_and_it_arrives(
    caller, tenant_a, failed, clerk, receiver
):
    client = caller(clerk)
    first = call(client, RETRY, id=gid(tenant_a, "ClerkDelivery", failed.pk))["data"]
    again = call(client, RETRY, id=gid(tenant_a, "ClerkDelivery", failed.pk))["data"]
    assert first["retryDelivery"] == {
        "delivery": {"state": "PENDING", "attempts": 2},
        "errors": [],
    }
    assert again["retryDelivery"]["delivery"] is None
    assert [e["code"] for e in again["retryDelivery"]["errors"]] == ["not_failed"]
    with schema_context(tenant_a.schema_name):
        run_jobs("deliver")
        assert Entry.objects.filter(action="delivery.retried").count() == 1
    assert delivery_of(tenant_a, failed.submission).status == "delivered"
    assert list(receiver.parcels) == [str(failed.key)]


@pytest.mark.parametrize("who", ["anonymous", "citizen", "reader", "other_tenant"])
def test_who_may_not_retry_is_refused_and_nothing_changes(
    who, caller, tenant_a, tenant_b, failed, citizen, other_tenant_clerk
):
    users = {
        "anonymous": (None, tenant_a),
        "citizen": (citizen, tenant_a),
        "reader": (make_user(tenant_a, "reader@alpha.example", "clerk_reader"), tenant_a),
        "other_tenant": (other_tenant_clerk, tenant_b),
    }
    user, tenant = users[who]
    body = call(caller(user, tenant), RETRY, id=gid(tenant_a, "ClerkDelivery", failed.pk))
    result = body["data"]["retryDelivery"]
    assert result["delivery"] is None
    assert [e["code"] for e in result["errors"]] == (
        ["not_found"] if who == "other_tenant" else ["permission_denied"]
    )
    with schema_context(tenant_a.schema_name):
        assert Delivery.objects.get(pk=failed.pk).status == "failed"
        assert not Entry.objects.filter(action="delivery.retried").exists()


@pytest.mark.parametrize("who", ["anonymous", "citizen", "other_tenant"])
def test_who_is_no_clerk_here_sees_no_deliveries(
    who, caller, tenant_a, tenant_b, failed, citizen, other_tenant_clerk
):
    user, tenant = {
        "anonymous": (None, tenant_a),
        "citizen": (citizen, tenant_a),
        "other_tenant": (other_tenant_clerk, tenant_b),
    }[who]
    body = call(
        caller(user, tenant), DELIVERIES, id=gid(tenant_a, "ClerkSubmission", failed.submission_id)
    )
    assert not (body.get("data") or {}).get("inboxSubmission")
    assert "Fachverfahren" not in json.dumps(body) and "HTTP 500" not in json.dumps(body)


def test_junk_and_foreign_ids_are_not_found(caller, tenant_a, failed, clerk):
    client = caller(clerk)
    for junk in ("nope", gid(tenant_a, "ClerkSubmission", failed.submission_id), ""):
        result = call(client, RETRY, id=junk)["data"]["retryDelivery"]
        assert [(e["field"], e["code"]) for e in result["errors"]] == [("id", "not_found")]
    assert delivery_of(tenant_a, failed.submission).status == "failed"


def test_deliveries_on_the_inbox_cost_the_same_queries_for_one_or_many(
    caller, tenant_a, submit, clerk
):
    client = caller(clerk)
    query = "{ inbox(first: 50) { edges { node { reference deliveries { targetName state } } } } }"

    def measure():
        with CaptureQueriesContext(connection) as queries:
            body = call(client, query)
        return len(queries), len(body["data"]["inbox"]["edges"])

    submit()
    one, rows = measure()
    assert rows == 1
    for _ in range(4):
        submit()
    assert measure() == (one, 5)
