"""The payment model and its status machine, directly (no provider needed)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_tenants.utils import schema_context

from portalwerk.billing.payments import services
from portalwerk.billing.payments.models import (
    FeeAccount,
    HandOver,
    HandOverPolicy,
    Payment,
    PaymentStatus,
    StatusChange,
    can_move,
)
from portalwerk.billing.providers.base import RemoteState, RemoteStatus
from portalwerk.platform.authz.actors import anonymous

S = PaymentStatus


def _payment(submission, status=S.PENDING, **extra) -> Payment:
    return Payment.objects.create(
        reference=services.next_payment_reference(),
        submission=submission,
        amount_cents=submission.fee_cents,
        status=status,
        provider="demo",
        provider_ref=extra.pop("provider_ref", f"demo_{submission.pk}_{status}"),
        **extra,
    )


def test_status_only_moves_forward():
    # given the status machine
    # then the allowed moves are exactly the forward ones
    assert can_move(S.CREATED, S.PENDING)
    assert {s for s in S.values if can_move(S.PENDING, s)} == {S.PAID, S.FAILED, S.EXPIRED}
    assert {s for s in S.values if can_move(S.PAID, s)} == {S.PARTIALLY_REFUNDED, S.REFUNDED}
    for terminal in (S.FAILED, S.EXPIRED, S.REFUNDED):
        assert not any(can_move(terminal, s) for s in S.values)
    for backwards in [(S.PAID, S.PENDING), (S.PAID, S.FAILED), (S.PENDING, S.CREATED)]:
        assert not can_move(*backwards)


def test_a_stale_read_never_moves_a_paid_payment_back(tenant_a, submission):
    with schema_context(tenant_a.schema_name):
        # given a payment that is paid
        payment = _payment(submission)
        assert services.apply_remote_state(
            payment, RemoteState(payment.provider_ref, RemoteStatus.PAID, 1500), source="t"
        )
        # when the provider is read again with older news (failed, expired, processing)
        for stale in (RemoteStatus.FAILED, RemoteStatus.EXPIRED, RemoteStatus.PROCESSING):
            changed = services.apply_remote_state(
                payment, RemoteState(payment.provider_ref, stale, 1500), source="t"
            )
            # then nothing changes
            assert not changed
        payment.refresh_from_db()
        assert payment.status == S.PAID
        assert list(payment.status_changes.values_list("new_status", flat=True)) == [S.PAID]


def test_paid_with_another_amount_is_not_marked_paid(tenant_a, submission):
    with schema_context(tenant_a.schema_name):
        payment = _payment(submission)
        changed = services.apply_remote_state(
            payment, RemoteState(payment.provider_ref, RemoteStatus.PAID, 1), source="t"
        )
        payment.refresh_from_db()
        assert not changed and payment.status == S.PENDING


def test_a_refunded_payment_cannot_be_paid_again(tenant_a, submission):
    with schema_context(tenant_a.schema_name):
        payment = _payment(submission, status=S.REFUNDED)
        with pytest.raises(ValidationError) as exc:
            services._move(payment, S.PAID, "t")
        assert exc.value.error_dict["__all__"][0].code == "invalid_transition"
        assert Payment.objects.get(pk=payment.pk).status == S.REFUNDED


def test_one_open_and_one_settled_payment_per_submission(tenant_a, submission):
    with schema_context(tenant_a.schema_name):
        _payment(submission, status=S.PENDING)
        with pytest.raises(IntegrityError), transaction.atomic():
            _payment(submission, status=S.CREATED, provider_ref="other")
        _payment(submission, status=S.PAID, provider_ref="paid-one")
        with pytest.raises(IntegrityError), transaction.atomic():
            _payment(submission, status=S.PAID, provider_ref="paid-two")


def test_payment_references_are_readable_and_per_tenant(tenant_a, tenant_b):
    # when each tenant hands out payment references
    with schema_context(tenant_a.schema_name):
        a1, a2 = services.next_payment_reference(), services.next_payment_reference()
    with schema_context(tenant_b.schema_name):
        b1 = services.next_payment_reference()
    # then they count per tenant, with the tenant's prefix and the year
    assert re.fullmatch(r"[A-Z]{3}-\d{4}-Z\d{6}", a1)
    assert int(a2[-6:]) == int(a1[-6:]) + 1
    assert b1[:3] != a1[:3] and b1[-6:] == a1[-6:]


def test_budget_line_and_booking_text_come_from_the_form_before_the_service(
    tenant_a, submission, fee_form
):
    with schema_context(tenant_a.schema_name):
        # given a rule for the service and one for the form itself
        FeeAccount.objects.create(
            service_key="fischereischein", budget_line="1.1.2.0.432100", booking_text="Service"
        )
        assert services.fee_account_for(submission).budget_line == "1.1.2.0.432100"
        FeeAccount.objects.create(
            form=fee_form, budget_line="5.3.1.1.431100", booking_text="Fischereischein {reference}"
        )
        # when the payment is opened
        payment = services._open_payment(submission)
        # then the form's rule wins, and the booking text names the application
        assert payment.budget_line == "5.3.1.1.431100"
        assert payment.booking_text == f"Fischereischein {submission.reference}"
        assert payment.amount_cents == 1500 and payment.status == S.CREATED


def test_idempotency_keys_derive_from_the_payment(tenant_a, submission):
    with schema_context(tenant_a.schema_name):
        payment = services._open_payment(submission)
        again = services._open_payment(submission)
        # then opening twice is the same payment, with the same key for the same call
        assert again.pk == payment.pk
        key = payment.idempotency_key("checkout")
        assert key == again.idempotency_key("checkout")
        assert str(payment.pk) in key and tenant_a.schema_name in key and len(key) <= 255
        assert payment.idempotency_key("refund-1") != key


def test_hand_over_waits_for_payment_unless_the_form_says_immediately(
    tenant_a, fee_form, submission
):
    from django.contrib.auth.models import AnonymousUser

    from tests.helpers.forms import jobs, make_submission

    with schema_context(tenant_a.schema_name):
        # given the default policy: after payment
        held = services.prepare_submission(actor=anonymous(), submission=submission)
        assert held.held and held.handed_over_at is None
        assert jobs("hand_over_submission") == []
        # when the form is set to hand over immediately
        FeeAccount.objects.create(form=fee_form, hand_over=HandOverPolicy.IMMEDIATELY)
        other = make_submission(fee_form, AnonymousUser())
        now = services.prepare_submission(actor=anonymous(), submission=other)
        # then it goes to the office right away, marked "payment pending"
        assert not now.held and now.payment_pending and now.handed_over_at is not None
        assert jobs("hand_over_submission") == [
            {"schema_name": tenant_a.schema_name, "submission_id": other.pk}
        ]
        # and paying later does not hand it over a second time
        payment = _payment(other)
        services.apply_remote_state(
            payment, RemoteState(payment.provider_ref, RemoteStatus.PAID, 1500), source="t"
        )
        assert len(jobs("hand_over_submission")) == 1
        assert not HandOver.objects.get(submission=other).payment_pending
        assert StatusChange.objects.filter(payment=payment).count() == 1


def test_without_a_provider_the_citizen_is_told_and_nothing_is_made(tenant_a, submission, settings):

    # given production without a connected account (no demo provider there)
    settings.PORTALWERK_PAYMENT_DEFAULT_PROVIDER = ""
    with schema_context(tenant_a.schema_name):
        with pytest.raises(ValidationError) as exc:
            services.start_payment(actor=anonymous(), submission=submission, return_url="/")
        assert exc.value.error_dict["__all__"][0].code == "provider_unavailable"
        assert not Payment.objects.exists()


def test_an_expired_checkout_is_replaced_by_a_new_payment(tenant_a, submission):

    from portalwerk.billing.providers.contrib.demo.models import DemoCheckout

    with schema_context(tenant_a.schema_name):
        first = services.start_payment(actor=anonymous(), submission=submission, return_url="/")
        # when the checkout expired at the provider without us hearing of it
        DemoCheckout.objects.filter(ref=first.provider_ref).update(status="expired")
        second = services.start_payment(actor=anonymous(), submission=submission, return_url="/")
        # then the old payment is expired and the citizen gets a fresh checkout
        assert Payment.objects.get(pk=first.pk).status == S.EXPIRED
        assert second.pk != first.pk and second.status == S.PENDING
        assert second.checkout_url != first.checkout_url
