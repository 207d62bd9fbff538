"""The signed status endpoint a back-office system reports to: real requests to the tenant host,
two real tenants, replays, forgeries and junk."""

from __future__ import annotations

import base64
import json
import time

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.handover import answers
from portalwerk.platform.handover.models import Report, Target
from portalwerk.platform.handover.parcels import parcel_of
from tests.helpers.forms import PDF, PNG, jobs
from tests.platform.handover.conftest import hand_over, post_report, report_body


@pytest.fixture
def handed(tenant_a, citizen):
    return hand_over(tenant_a, citizen)


def reports(tenant) -> list[Report]:
    with schema_context(tenant.schema_name):
        return list(Report.objects.order_by("pk"))


def test_every_parcel_names_the_endpoint_and_a_signed_report_there_is_stored(
    handed, client_for, tenant_a
):
    # given a delivery's parcel, which tells the receiver where to report
    with schema_context(tenant_a.schema_name):
        url = parcel_of(handed.delivery).status_url
    assert url.endswith(f"/handover/status/{handed.target.pk}/")
    assert tenant_a.domains.get(is_primary=True).domain in url
    # when the back office reports a case number and a status there
    body = report_body(handed, case_number="FI-2026-0042", status="in Bearbeitung")
    response = post_report(client_for(tenant_a), handed.target, body)
    # then it gets the stored report back, and the report is the submission's
    assert response.status_code == 200, response.content
    data = response.json()["report"]
    assert data["case_number"] == "FI-2026-0042"
    assert data["status"] == "in Bearbeitung"
    assert data["delivery"] == str(handed.delivery.key)
    [stored] = reports(tenant_a)
    assert stored.submission_id == handed.submission.pk
    assert stored.kind == "status"


def test_a_repeated_or_replayed_callback_changes_nothing(handed, client_for, tenant_a):
    client = client_for(tenant_a)
    body = report_body(handed, status="in Bearbeitung", message="Wir prüfen Ihren Antrag.")
    signature_time = int(time.time())
    first = post_report(client, handed.target, body, timestamp=signature_time)
    assert first.status_code == 200
    # when the very same signed request arrives again (a retry, or someone replaying it)
    again = post_report(client, handed.target, body, timestamp=signature_time)
    # and the sender re-uses the event id with other content
    other = report_body(handed, status="Bescheid erstellt")
    changed = post_report(client, handed.target, other)
    # then each answer is the first report, and only one report and one mail job exist
    assert again.status_code == 200 and changed.status_code == 200
    assert again.json() == first.json() == changed.json()
    [stored] = reports(tenant_a)
    assert stored.status == "in Bearbeitung"
    with schema_context(tenant_a.schema_name):
        assert len(jobs("send_report_notice")) == 1


def test_a_bad_or_missing_signature_is_refused_and_stores_nothing(handed, client_for, tenant_a):
    client = client_for(tenant_a)
    body = report_body(handed, status="in Bearbeitung")
    forged = post_report(client, handed.target, body, secret="not-the-secret")
    unsigned = client.post(
        f"/handover/status/{handed.target.pk}/", data=body, content_type="application/json"
    )
    # signed over another body: the signature of the first, with the status changed
    signature = post_report(client, handed.target, b"{}").request["HTTP_PORTALWERK_SIGNATURE"]
    swapped = client.post(
        f"/handover/status/{handed.target.pk}/",
        data=body,
        content_type="application/json",
        HTTP_PORTALWERK_SIGNATURE=signature,
    )
    for response in (forged, unsigned, swapped):
        assert response.status_code == 401, response.content
        assert response.json()["errors"][0]["code"] == "bad_signature"
    assert reports(tenant_a) == []


def test_a_stale_timestamp_is_refused_even_with_the_right_secret(handed, client_for, tenant_a):
    body = report_body(handed, status="in Bearbeitung")
    stale = int(time.time()) - 10 * 60
    response = post_report(client_for(tenant_a), handed.target, body, timestamp=stale)
    assert response.status_code == 401
    assert reports(tenant_a) == []


def test_a_callback_for_another_tenants_or_another_targets_delivery_is_refused(
    handed, client_for, tenant_a, tenant_b, citizen
):
    # given a submission of tenant B with its delivery to B's own target
    from portalwerk.platform.authz.actors import anonymous

    theirs = hand_over(tenant_b, anonymous(), email="bernd@example.org")
    # and a second target in tenant A with a delivery of its own
    with schema_context(tenant_a.schema_name):
        dms = Target.objects.create(name="DMS", backend="dms", all_forms=True)
    other_target = hand_over(tenant_a, citizen, target=dms)
    client_a = client_for(tenant_a)
    # when A's back office names B's delivery, signed with A's secret, on A's host
    cross_tenant = post_report(
        client_a, handed.target, report_body(theirs, event_id="x-1", status="in Bearbeitung")
    )
    # or B's back office posts B's report to A's host (under B's target id, signed by B)
    wrong_host = post_report(
        client_a,
        theirs.target,
        report_body(theirs, event_id="x-2", status="in Bearbeitung"),
    )
    # or A's back office reports on the DMS's delivery
    cross_target = post_report(
        client_a,
        handed.target,
        report_body(other_target, event_id="x-3", status="in Bearbeitung"),
    )
    # then none is stored anywhere
    assert cross_tenant.status_code == 404
    assert cross_tenant.json()["errors"][0]["code"] == "not_found"
    assert wrong_host.status_code in (401, 404)
    assert cross_target.status_code == 404
    assert reports(tenant_a) == [] and reports(tenant_b) == []
    # while B's report on B's host is taken
    ok = post_report(
        client_for(tenant_b), theirs.target, report_body(theirs, event_id="x-2", status="ok")
    )
    assert ok.status_code == 200
    assert len(reports(tenant_b)) == 1


def test_an_unknown_target_is_not_found(handed, client_for, tenant_a):
    body = report_body(handed, status="x")
    response = post_report(client_for(tenant_a), handed.target, body, target_id=999_999)
    assert response.status_code == 404


def _signed(client, target, body: bytes):
    return post_report(client, target, body)


JUNK = [
    b"not json at all",
    b"\xff\xfe\x00garbage",
    b"[1, 2, 3]",
    b'"a string"',
    b"[" * 100_000 + b"]" * 100_000,
]


@pytest.mark.parametrize("body", JUNK, ids=["text", "binary", "list", "string", "deep"])
def test_a_signed_body_that_is_not_a_json_object_is_a_400(handed, client_for, tenant_a, body):
    response = _signed(client_for(tenant_a), handed.target, body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "not_json"
    assert reports(tenant_a) == []


def _doc(content: bytes, name="Bescheid.pdf", content_type="application/pdf") -> dict:
    return {
        "name": name,
        "content_type": content_type,
        "content_base64": base64.b64encode(content).decode(),
    }


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"event_id": ""}, "event_id"),
        ({"event_id": 7}, "event_id"),
        ({"delivery": "not-a-uuid"}, "delivery"),
        ({"delivery": None}, "delivery"),
        ({}, ""),  # nothing reported
        ({"status": "x" * 201}, "status"),
        ({"case_number": ["A"]}, "case_number"),
        ({"message": "x" * 10_001}, "message"),
        ({"message": "a\x00b"}, "message"),
        ({"message": "m", "document": "Bescheid.pdf"}, "document"),
        ({"message": "m", "document": _doc(b"MZ\x90\x00 an exe", "Bescheid.pdf")}, "document"),
        ({"message": "m", "document": {"name": "b.pdf", "content_base64": "%%%"}}, "document"),
        ({"message": "m", "document": {"name": "b.pdf"}}, "document"),
        (
            {"message": "m", "document": _doc(PDF + b"0" * (answers.MAX_DOCUMENT_BYTES + 1))},
            "document",
        ),
    ],
)
def test_malformed_reports_are_a_400_naming_the_field(handed, client_for, tenant_a, fields, field):
    payload = {"delivery": str(handed.delivery.key), "event_id": "ev-1", **fields}
    response = _signed(client_for(tenant_a), handed.target, json.dumps(payload).encode())
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == field
    assert reports(tenant_a) == []


def test_an_oversized_body_is_a_400_without_being_read(handed, client_for, tenant_a):
    body = b'{"x": "' + b"a" * (answers.MAX_BODY_BYTES + 10) + b'"}'
    response = _signed(client_for(tenant_a), handed.target, body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "too_large"


def test_a_message_with_a_document_keeps_the_sniffed_type_and_a_safe_name(
    handed, client_for, tenant_a
):
    document = _doc(PNG, name="../../etc/Bescheid vom 1.12..pdf", content_type="application/pdf")
    body = report_body(handed, message="Ihr Bescheid liegt bei.", document=document)
    response = _signed(client_for(tenant_a), handed.target, body)
    assert response.status_code == 200, response.content
    assert response.json()["report"]["document"] == {
        "name": "Bescheid vom 1_12.png",
        "content_type": "image/png",
        "size": len(PNG),
    }
    [stored] = reports(tenant_a)
    assert bytes(stored.document) == PNG and stored.kind == "message"


def test_only_posts_are_taken(handed, client_for, tenant_a):
    response = client_for(tenant_a).get(f"/handover/status/{handed.target.pk}/")
    assert response.status_code == 405


def test_callbacks_are_rate_limited_per_target_and_address(
    handed, client_for, tenant_a, monkeypatch
):
    monkeypatch.setattr(answers, "REPORTS_PER_MINUTE", 2)
    client = client_for(tenant_a)
    codes = [
        post_report(client, handed.target, report_body(handed, f"ev-{n}", status="s")).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]
    assert len(reports(tenant_a)) == 2
