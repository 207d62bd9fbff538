"""Retry and re-send: what clerks do with a delivery, against a real receiver on loopback."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.handover import services
from portalwerk.platform.handover.models import Delivery
from tests.conftest import make_user
from tests.helpers.forms import run_jobs
from tests.platform.handover.backoffice.conftest import delivery_of


def codes(exc: ValidationError) -> set[str]:
    return {e.code for errors in exc.error_dict.values() for e in errors}


def test_a_delivered_submission_reached_the_receiver_once_with_its_case_number(
    tenant_a, submit, receiver
):
    submission = submit()
    delivery = delivery_of(tenant_a, submission)
    assert delivery.status == "delivered"
    assert delivery.receiver_reference == "CASE-1"
    assert [p["reference"] for p in receiver.parcels.values()] == [submission.reference]


def test_a_clerk_retries_a_failed_delivery_and_the_receiver_gets_it(
    tenant_a, failed, clerk, receiver
):
    # given a failed delivery (two 500s), and the receiver up again
    with schema_context(tenant_a.schema_name):
        # when the clerk tries it again
        services.retry_delivery(actor=from_user(clerk), delivery_id=failed.pk)
        assert Delivery.objects.get(pk=failed.pk).status == "pending"
        run_jobs("deliver")
        # then it is delivered, with the same key, and the retry is in the audit trail
        delivery = Delivery.objects.get(pk=failed.pk)
        entry = Entry.objects.get(action="delivery.retried")
    assert delivery.status == "delivered" and delivery.receiver_reference == "CASE-1"
    assert list(receiver.parcels) == [str(failed.key)]
    assert entry.actor_user_id == clerk.pk and entry.object_id == failed.submission.reference
    assert entry.detail == {
        "delivery": failed.pk,
        "target": failed.target_id,
        "attempts": 2,
        "problem": "receiver_error",
    }


def test_retrying_twice_schedules_one_attempt_and_says_why_the_second_did_nothing(
    tenant_a, failed, clerk
):
    with schema_context(tenant_a.schema_name):
        services.retry_delivery(actor=from_user(clerk), delivery_id=failed.pk)
        with pytest.raises(ValidationError) as refused:
            services.retry_delivery(actor=from_user(clerk), delivery_id=failed.pk)
        assert codes(refused.value) == {"not_failed"}
        assert Entry.objects.filter(action="delivery.retried").count() == 1


def test_a_delivered_delivery_is_resent_under_a_new_key_and_the_receiver_takes_it_again(
    tenant_a, submit, clerk, receiver
):
    submission = submit()
    old = delivery_of(tenant_a, submission)
    with schema_context(tenant_a.schema_name):
        services.resend_delivery(actor=from_user(clerk), delivery_id=old.pk)
        run_jobs("deliver")
        entry = Entry.objects.get(action="delivery.resent")
    new = delivery_of(tenant_a, submission)
    assert new.key != old.key and new.status == "delivered"
    assert new.receiver_reference == "CASE-2"
    assert set(receiver.parcels) == {str(old.key), str(new.key)}
    assert entry.detail["previous_key"] == str(old.key)
    assert entry.detail["key"] == str(new.key)


def test_retry_needs_a_failed_and_resend_a_delivered_delivery(tenant_a, submit, failed, clerk):
    delivered = delivery_of(tenant_a, submit())
    with schema_context(tenant_a.schema_name):
        actor = from_user(clerk)
        with pytest.raises(ValidationError) as retry:
            services.retry_delivery(actor=actor, delivery_id=delivered.pk)
        with pytest.raises(ValidationError) as resend:
            services.resend_delivery(actor=actor, delivery_id=failed.pk)
        assert codes(retry.value) == {"not_failed"}
        assert codes(resend.value) == {"not_delivered"}
        assert not Entry.objects.filter(action__startswith="delivery.").exists()


@pytest.mark.parametrize(
    ("role", "code"),
    [("citizen", "not_found"), ("clerk_reader", "permission_denied")],
)
def test_who_may_not_retry_changes_nothing(tenant_a, failed, role, code):
    user = make_user(tenant_a, f"{role}@alpha.example", role)
    with schema_context(tenant_a.schema_name):
        with pytest.raises(ValidationError) as refused:
            services.retry_delivery(actor=from_user(user), delivery_id=failed.pk)
        assert codes(refused.value) == {code}
        assert Delivery.objects.get(pk=failed.pk).status == "failed"


def test_another_tenants_clerk_and_junk_ids_find_nothing(
    tenant_a, tenant_b, failed, other_tenant_clerk, clerk
):
    with schema_context(tenant_b.schema_name):
        with pytest.raises(ValidationError) as other:
            services.retry_delivery(actor=from_user(other_tenant_clerk), delivery_id=failed.pk)
    assert codes(other.value) == {"not_found"}
    with schema_context(tenant_a.schema_name):
        for junk in ("x", "", None, -1, 2**70, "1; drop"):
            with pytest.raises(ValidationError) as refused:
                services.retry_delivery(actor=from_user(clerk), delivery_id=junk)
            assert codes(refused.value) == {"not_found"}
        assert Delivery.objects.get(pk=failed.pk).status == "failed"
