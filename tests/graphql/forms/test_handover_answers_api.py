"""The status history back-office systems reported, for the citizen in the tenant API
(`mySubmissions { caseNumber statusHistory backOfficeMessages }`), with its authorization
matrix: the applicant sees it; another citizen, a clerk and an anonymous caller do not."""

from __future__ import annotations

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from portalwerk.platform.handover.models import Report
from tests.conftest import make_user
from tests.graphql.forms.test_forms_api import Caller
from tests.helpers.forms import PDF
from tests.platform.handover.conftest import _media, hand_over, post_report, report_body  # noqa: F401

QUERY = (
    "{ mySubmissions { reference caseNumber statusHistory { status at } "
    "backOfficeMessages { text at documentName } } }"
)


def _report(client_for, tenant, handed, prefix=""):
    client = client_for(tenant)
    for body in (
        report_body(handed, f"{prefix}e1", case_number="FI-7", status="in Bearbeitung"),
        report_body(
            handed,
            f"{prefix}e2",
            status="Bescheid erstellt",
            message="Bescheid anbei.",
            document={"name": "Bescheid.pdf", "content_base64": base64.b64encode(PDF).decode()},
        ),
    ):
        assert post_report(client, handed.target, body).status_code == 200


@pytest.fixture
def handed(tenant_a, citizen, client_for):
    handed = hand_over(tenant_a, citizen)
    _report(client_for, tenant_a, handed)
    return handed


def test_the_applicant_reads_case_number_history_and_messages(
    handed, client_for, tenant_a, citizen
):
    [mine] = Caller(client_for, tenant_a, citizen)(QUERY)["mySubmissions"]
    assert mine["reference"] == handed.submission.reference
    assert mine["caseNumber"] == "FI-7"
    assert [s["status"] for s in mine["statusHistory"]] == ["in Bearbeitung", "Bescheid erstellt"]
    assert all(s["at"] for s in mine["statusHistory"])
    [message] = mine["backOfficeMessages"]
    assert message["text"] == "Bescheid anbei." and message["documentName"] == "Bescheid.pdf"


def test_nobody_else_sees_the_history(handed, client_for, tenant_a, tenant_b, clerk):
    # another citizen of the tenant, and a clerk, see only their own (no) submissions
    other = make_user(tenant_a, "other@alpha.example", "citizen")
    assert Caller(client_for, tenant_a, other)(QUERY)["mySubmissions"] == []
    assert Caller(client_for, tenant_a, clerk)(QUERY)["mySubmissions"] == []
    # an anonymous caller is refused and learns nothing
    body = Caller(client_for, tenant_a).raw(QUERY)
    assert body.get("data") is None
    assert "FI-7" not in str(body) and "Bearbeitung" not in str(body)
    # the same citizen address on another tenant's host is another account: nothing there
    assert "FI-7" not in str(Caller(client_for, tenant_b).raw(QUERY))
    # and nothing changed
    with schema_context(tenant_a.schema_name):
        assert Report.objects.count() == 2


def test_the_history_costs_the_same_queries_for_one_or_many_submissions(
    handed, client_for, tenant_a, citizen
):
    caller = Caller(client_for, tenant_a, citizen)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            rows = caller(QUERY)["mySubmissions"]
        return len(queries), sum(len(r["statusHistory"]) for r in rows)

    one, shown = measure()
    assert shown == 2
    for n in range(3):
        _report(client_for, tenant_a, hand_over(tenant_a, citizen), prefix=f"{n}-")
    assert measure() == (one, 8)
