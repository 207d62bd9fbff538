"""The webhook backend against a real receiver on loopback: signed JSON of the documented
schema, files as links (fetched back through the tenant host) or inline, and what each answer
of the receiver does to the delivery."""

from __future__ import annotations

import base64
import hashlib
import socket
from urllib.parse import urlsplit

import pytest
from django.utils import translation
from django_tenants.utils import schema_context

from portalwerk.platform.handover.contrib.webhook.config import WebhookConfigForm
from portalwerk.platform.handover.models import Delivery
from portalwerk.platform.handover.registry import backends
from tests.conftest import host_of
from tests.helpers.forms import PNG, jobs, run_jobs
from tests.platform.handover.receiver import Receiver
from tests.platform.handover.schema_check import errors
from tests.platform.handover.webhook_helpers import submit_photo_form, webhook_target

DELIVER = "handover.tasks.deliver"


def test_a_submission_reaches_the_receiver_signed_and_in_the_documented_schema(
    tenant_a, photo_form, receiver, client_for
):
    with schema_context(tenant_a.schema_name):
        # given a webhook target that takes files as links
        webhook_target(receiver.url, files="links")
        # when a citizen submits and the deliver job runs
        submission = submit_photo_form(photo_form)
        assert run_jobs(DELIVER) == ["delivered"]
        delivery = Delivery.objects.get(submission=submission)
    # then the receiver verified the signature and holds the parcel once, in the schema
    assert receiver.bad_signatures == 0 and receiver.count() == 1
    parcel = receiver.held[str(delivery.key)]
    assert errors(parcel) == []
    # (and the check is a real one: the same parcel without its reference, or with a file
    # without its checksum, is refused)
    broken = {**parcel, "reference": None, "files": [{**parcel["files"][0], "sha256": 1}]}
    assert len(errors({k: v for k, v in broken.items() if k != "reference"})) >= 2
    assert parcel["schema"] == "portalwerk.submission/1" and parcel["test"] is False
    assert parcel["reference"] == submission.reference
    assert parcel["form"] == {"slug": "photo-permit", "title": "Fotogenehmigung", "version": 1}
    assert parcel["applicant"]["email"] == "erika@example.org"
    assert parcel["answers"]["raw"]["last_name"] == "Muster"
    assert {"key": "last_name", "label": "Nachname", "text": "Muster"} in parcel["answers"][
        "labelled"
    ]
    assert parcel["fee"] == {
        "amount_cents": 0,
        "currency": "EUR",
        "payment_reference": "",
        "payment_status": "",
    }
    # and the delivery says delivered, with the receiver's case number
    assert delivery.status == "delivered" and delivery.receiver_reference == "CASE-1"
    # and the file links give the photo and the receipt back, byte for byte
    [photo] = parcel["files"]
    assert photo["name"] == "photo.png" and photo["size"] == len(PNG)
    office = client_for(host_of(tenant_a))
    fetched = office.get(urlsplit(photo["url"]).path)
    assert fetched.status_code == 200
    body = b"".join(fetched.streaming_content)
    assert body == PNG and hashlib.sha256(body).hexdigest() == photo["sha256"]
    assert urlsplit(photo["url"]).hostname == host_of(tenant_a)
    receipt = office.get(urlsplit(parcel["receipt"]["url"]).path)
    assert receipt.content.startswith(b"%PDF")
    assert hashlib.sha256(receipt.content).hexdigest() == parcel["receipt"]["sha256"]


def test_files_go_inline_when_the_target_says_so(tenant_a, photo_form, receiver):
    with schema_context(tenant_a.schema_name):
        webhook_target(receiver.url, files="inline")
        submission = submit_photo_form(photo_form)
        assert run_jobs(DELIVER) == ["delivered"]
        key = str(Delivery.objects.get(submission=submission).key)
    parcel = receiver.held[key]
    assert errors(parcel) == []
    [photo] = parcel["files"]
    assert "url" not in photo and base64.b64decode(photo["content_base64"]) == PNG
    assert base64.b64decode(parcel["receipt"]["content_base64"]).startswith(b"%PDF")


def test_a_receiver_that_does_not_accept_our_signature_is_not_tried_again(
    tenant_a, photo_form, receiver
):
    with schema_context(tenant_a.schema_name):
        # given a target whose secret is not the one the receiver knows
        webhook_target(receiver.url, secret="another-secret")
        submission = submit_photo_form(photo_form)
        # when the job runs
        assert run_jobs(DELIVER) == ["failed"]
        delivery = Delivery.objects.get(submission=submission)
        # then it failed for good as "unauthorised", and no retry waits
        assert (delivery.status, delivery.last_problem) == ("failed", "unauthorised")
        assert jobs(DELIVER) == []
    assert receiver.bad_signatures == 1 and receiver.count() == 0


@pytest.mark.parametrize(
    ("status", "problem", "after"),
    [
        (500, "receiver_error", "pending"),
        (503, "receiver_error", "pending"),
        (429, "receiver_error", "pending"),
        (425, "receiver_error", "pending"),
        (408, "timeout", "pending"),
        (403, "unauthorised", "failed"),
        (413, "too_large", "failed"),
        (422, "refused", "failed"),
        (404, "refused", "failed"),
    ],
)
def test_each_answer_of_the_receiver_is_mapped(
    tenant_a, photo_form, receiver, status, problem, after
):
    with schema_context(tenant_a.schema_name):
        # given a receiver that answers once with `status`
        webhook_target(receiver.url)
        receiver.fail(status)
        submission = submit_photo_form(photo_form, photo=False)
        # when the job runs
        assert run_jobs(DELIVER) == [after]
        delivery = Delivery.objects.get(submission=submission)
        assert (delivery.last_problem, delivery.last_detail) == (problem, f"HTTP {status}")
        # then a receiver's failure is tried again and then delivered, once; a refusal is not
        results = run_jobs(DELIVER)
        delivery.refresh_from_db()
    if after == "pending":
        assert results == ["delivered"] and delivery.status == "delivered"
        assert receiver.requests == 2 and receiver.count() == 1
    else:
        assert results == [] and delivery.status == "failed"
        assert receiver.requests == 1 and receiver.count() == 0


def test_an_unreachable_receiver_and_a_slow_one_are_tried_again(tenant_a, photo_form, receiver):
    with schema_context(tenant_a.schema_name):
        # given a target at a port where nothing listens
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed = probe.getsockname()[1]
        target = webhook_target(f"http://127.0.0.1:{closed}/hook", timeout=1)
        submission = submit_photo_form(photo_form, photo=False)
        assert run_jobs(DELIVER) == ["pending"]
        delivery = Delivery.objects.get(submission=submission)
        assert delivery.last_problem == "unreachable" and len(jobs(DELIVER)) == 1
        # when the receiver is there but answers only after the time limit (having stored it)
        target.config = {**target.config, "url": receiver.url}
        target.save()
        receiver.slow(2)
        assert run_jobs(DELIVER) == ["pending"]
        delivery.refresh_from_db()
        assert delivery.last_problem == "timeout" and receiver.count() == 1
        # then the next attempt is answered with the same case number, and it is held once
        assert run_jobs(DELIVER) == ["delivered"]
        delivery.refresh_from_db()
    assert delivery.receiver_reference == "CASE-1" and delivery.attempts == 3
    assert receiver.requests == 2 and receiver.count() == 1


def test_the_settings_form_wants_https_bounds_the_time_limit_and_makes_a_secret():
    def form(**data):
        base = {"url": "https://fachverfahren.example.org/in", "files": "links"}
        return WebhookConfigForm({**base, "timeout_seconds": 10, **data})

    with translation.override("en"):
        plain = form(url="http://fachverfahren.example.org/in")
        assert not plain.is_valid()
        assert plain.errors.as_data()["url"][0].code == "https_required"
        assert "https://" in plain.errors["url"][0]
        assert form(url="http://localhost:8080/in").is_valid()
        assert form(url="http://127.0.0.1:8080/in").is_valid()
        assert not form(timeout_seconds=0).is_valid()
        assert not form(timeout_seconds=61).is_valid()
        made = form(secret="")
        assert made.is_valid() and len(made.cleaned_data["secret"]) >= 32
        other = form(secret="")
        assert other.is_valid() and other.cleaned_data["secret"] != made.cleaned_data["secret"]
        kept = form(secret="given-by-the-back-office")
        assert kept.is_valid() and kept.cleaned_data["secret"] == "given-by-the-back-office"
    assert backends.get("webhook").secret_fields == ("secret",)


def test_checking_a_target_says_in_plain_words_what_is_wrong(receiver):
    webhook = backends.get("webhook")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    with translation.override("en"):
        assert webhook.check_target({"url": receiver.url}) == []
        [unknown] = webhook.check_target({"url": "https://no-such-host.invalid/in"})
        assert "no-such-host.invalid cannot be found" in unknown
        [down] = webhook.check_target({"url": f"http://127.0.0.1:{closed}/in"})
        assert "Nothing answers at 127.0.0.1" in down
    with translation.override("de"):
        [unknown] = webhook.check_target({"url": "https://no-such-host.invalid/in"})
        assert "nicht gefunden" in unknown


def test_a_parcel_made_by_hand_is_signed_so_a_receiver_can_verify_it():
    from portalwerk.platform.handover import signing

    other = Receiver("hand-made").start()
    try:
        parcel = _hand_made_parcel()
        result = backends.get("webhook").deliver(
            parcel, {"url": other.url, "secret": "hand-made", "files": "links"}
        )
    finally:
        other.stop()
    assert result.receiver_reference == "CASE-1"
    assert other.held["k-1"]["test"] is True and errors(other.held["k-1"]) == []
    assert signing.HEADER == "Portalwerk-Signature"


def _hand_made_parcel():
    import datetime

    from portalwerk.platform.handover.parcel import Answer, Parcel

    return Parcel(
        idempotency_key="k-1",
        delivery_id=0,
        target_id=0,
        tenant_schema="alpha",
        tenant_name="Stadt Alpha",
        reference="ALP-TEST",
        form_slug="test",
        form_title="Test",
        form_version=1,
        language="de",
        submitted_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC),
        applicant_name="Erika Muster",
        applicant_email="erika@example.org",
        answers={"last_name": "Muster"},
        answer_list=(Answer("last_name", "Nachname", "Muster"),),
        receipt=None,
        files=(),
        test=True,
    )
