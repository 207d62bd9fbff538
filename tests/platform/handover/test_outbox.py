"""The outbox: deliveries written with the submit, held for a fee and released when it is paid,
sent by the job, retried with back-off, ending failed; sent once however often the job runs."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tenants.utils import schema_context

from portalwerk.billing.payments import services as payments
from portalwerk.billing.payments.models import Payment, PaymentStatus
from portalwerk.billing.providers.base import RemoteState, RemoteStatus
from portalwerk.platform.handover import sending
from portalwerk.platform.handover.models import Delivery, DeliveryStatus, Target
from tests.helpers.forms import (
    FEE_ANSWERS,
    FEE_DEFINITION,
    FISHING_LICENCE,
    PERSON_STEP,
    make_submission,
    publish_form,
    run_jobs,
)
from tests.platform.handover.recording import backend as recording

pytestmark = pytest.mark.django_db

NO_FEE = {"steps": [PERSON_STEP]}
NO_FEE_ANSWERS = {"person": FEE_ANSWERS["person"]}


@pytest.fixture(autouse=True)
def recording_backend(settings):
    settings.PORTALWERK_PLUGINS = {
        **settings.PORTALWERK_PLUGINS,
        "handover": ["tests.platform.handover.recording"],
    }
    settings.PORTALWERK_HANDOVER_MAX_ATTEMPTS = 3
    recording.HELD.clear()
    recording.CALLS.clear()


def _target(form, name="Fachverfahren", **config) -> Target:
    target = Target.objects.create(name=name, backend="recording", config=config)
    target.forms.add(form)
    return target


def test_every_target_of_the_form_gets_one_delivery_sent_once(tenant_a, tenant_admin, citizen):
    with schema_context(tenant_a.schema_name):
        # given a form with two targets, a switched-off one, and a target of every form
        form = publish_form(tenant_admin, "simple", FISHING_LICENCE, NO_FEE)
        first, second = _target(form, "Fachverfahren"), _target(form, "DMS")
        _target(form, "alt").__class__.objects.filter(name="alt").update(is_active=False)
        Target.objects.create(name="Postfach", backend="recording", all_forms=True)
        # when a citizen submits
        submission = make_submission(form, citizen, NO_FEE_ANSWERS)
        deliveries = Delivery.objects.filter(submission=submission)
        # then the submit wrote three pending deliveries, nothing was sent during it
        assert sorted(d.target.name for d in deliveries) == ["DMS", "Fachverfahren", "Postfach"]
        assert {d.status for d in deliveries} == {DeliveryStatus.PENDING}
        assert recording.CALLS == []
        # when the jobs run, and run again
        run_jobs("handover.tasks.deliver")
        for delivery in deliveries:
            assert sending.send(delivery.pk, job_id=None) == "skipped"
        # then each target holds it once, with its own idempotency key
        assert len(recording.CALLS) == 3 and len(recording.HELD) == 3
        assert {d.status for d in deliveries.all()} == {DeliveryStatus.DELIVERED}
        assert all(d.receiver_reference.startswith("AZ-") for d in deliveries.all())
        parcel = recording.CALLS[0]
        assert parcel.reference == submission.reference
        assert ("Vorname", "Erika") in {(a.label, a.text) for a in parcel.answer_list}
        assert parcel.receipt is not None and parcel.receipt.read().startswith(b"%PDF")
        assert first.pk != second.pk


def test_deliveries_roll_back_with_a_submit_that_fails(tenant_a, tenant_admin, citizen):
    with schema_context(tenant_a.schema_name):
        form = publish_form(tenant_admin, "simple", FISHING_LICENCE, NO_FEE)
        _target(form)
        # when the submit's transaction is rolled back after the deliveries were written
        with pytest.raises(RuntimeError), transaction.atomic():
            make_submission(form, citizen, NO_FEE_ANSWERS)
            raise RuntimeError("the submit failed later on")
        # then no delivery and no job is left over
        assert not Delivery.objects.exists()
        assert run_jobs("handover.tasks.deliver") == []


def test_a_fee_holds_the_deliveries_until_it_is_paid(tenant_a, tenant_admin, citizen):
    with schema_context(tenant_a.schema_name):
        form = publish_form(tenant_admin, "fishing", FISHING_LICENCE, FEE_DEFINITION)
        _target(form)
        submission = make_submission(form, citizen, FEE_ANSWERS)
        delivery = Delivery.objects.get(submission=submission)
        # then it is held, and running jobs sends nothing
        assert delivery.status == DeliveryStatus.HELD
        run_jobs("handover.tasks.deliver")
        assert recording.CALLS == []
        # when the fee is paid
        payment = Payment.objects.create(
            reference=payments.next_payment_reference(),
            submission=submission,
            amount_cents=submission.fee_cents,
            status=PaymentStatus.PENDING,
            provider="demo",
            provider_ref="demo_held",
        )
        payments.apply_remote_state(
            payment,
            RemoteState("demo_held", RemoteStatus.PAID, submission.fee_cents),
            source="test",
        )
        run_jobs("handover.tasks.deliver")
        # then it went, once, saying it was paid and with which reference
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.DELIVERED
        assert [p.payment_reference for p in recording.CALLS] == [payment.reference]
        assert recording.CALLS[0].payment_status == "paid"


def test_a_failing_receiver_is_retried_with_growing_waits_then_failed(
    tenant_a, tenant_admin, citizen
):
    with schema_context(tenant_a.schema_name):
        form = publish_form(tenant_admin, "simple", FISHING_LICENCE, NO_FEE)
        _target(form, fail="timeout")
        submission = make_submission(form, citizen, NO_FEE_ANSWERS)
        delivery = Delivery.objects.get(submission=submission)
        waits = []
        for _attempt in range(3):
            run_jobs("handover.tasks.deliver")
            delivery.refresh_from_db()
            if delivery.next_attempt_at:
                waits.append((delivery.next_attempt_at - delivery.last_attempt_at).total_seconds())
        # then after the limit (3) it is failed, with the problem kept for the clerk
        assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 3
        assert delivery.last_problem == "timeout" and delivery.last_detail == "as configured"
        assert len(recording.CALLS) == 3 and recording.HELD == {}
        # and the two waits in between grew (30 s steps, doubled, jittered within each step;
        # measured from the attempt's start, so the attempt's own duration is added)
        assert 15 <= waits[0] <= 32 and 30 <= waits[1] <= 62


def test_a_refusal_is_not_retried(tenant_a, tenant_admin, citizen):
    with schema_context(tenant_a.schema_name):
        form = publish_form(tenant_admin, "simple", FISHING_LICENCE, NO_FEE)
        _target(form, fail="refused")
        delivery = Delivery.objects.get(submission=make_submission(form, citizen, NO_FEE_ANSWERS))
        run_jobs("handover.tasks.deliver")
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
        assert run_jobs("handover.tasks.deliver") == []


def test_a_receiver_back_after_a_failure_gets_it_on_the_next_attempt(
    tenant_a, tenant_admin, citizen
):
    with schema_context(tenant_a.schema_name):
        form = publish_form(tenant_admin, "simple", FISHING_LICENCE, NO_FEE)
        _target(form, fail="unreachable", fail_times=1)
        delivery = Delivery.objects.get(submission=make_submission(form, citizen, NO_FEE_ANSWERS))
        run_jobs("handover.tasks.deliver")
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.PENDING and delivery.last_problem == "unreachable"
        run_jobs("handover.tasks.deliver")
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.DELIVERED and delivery.last_problem == ""
        assert len(recording.HELD) == 1


def test_backoff_doubles_up_to_the_cap_with_jitter(settings):
    settings.PORTALWERK_HANDOVER_BACKOFF_SECONDS = 10
    settings.PORTALWERK_HANDOVER_BACKOFF_MAX_SECONDS = 100
    for attempts, (low, high) in {1: (5, 10), 2: (10, 20), 4: (40, 80), 9: (50, 100)}.items():
        seen = {sending.backoff_seconds(attempts) for _ in range(200)}
        assert low <= min(seen) and max(seen) <= high, attempts
        assert len(seen) > 3  # jittered, not one fixed wait
