"""Stripe Connect against stripe-mock, and the one webhook endpoint with real signatures."""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import parse_qs

import pytest
from billing_helpers import WEBHOOK_SECRET, checkout_event, sign_raw, signed
from django.contrib.auth.models import AnonymousUser
from django_tenants.utils import schema_context

from portalwerk.billing.payments import services
from portalwerk.billing.payments.models import Payment, PaymentStatus, ProviderEventRecord
from portalwerk.platform.authz.actors import anonymous, from_user
from tests.helpers.forms import jobs, make_submission

pytestmark = pytest.mark.integration
S = PaymentStatus
ACCOUNT = "acct_1AlphaTestAccount"


def start(tenant, fee_form, submission=None) -> Payment:
    with schema_context(tenant.schema_name):
        submission = submission or make_submission(fee_form, AnonymousUser())
        return services.start_payment(
            actor=anonymous(),
            submission=submission,
            return_url=f"http://alpha.localhost/pay/{submission.reference}",
        )


def deliver(client, payload: dict, secret: str = WEBHOOK_SECRET, timestamp=None):
    body, header = signed(payload, secret, timestamp)
    return client.post(
        "/webhooks/stripe/",
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )


def status_of(tenant, payment) -> str:
    with schema_context(tenant.schema_name):
        return Payment.objects.get(pk=payment.pk).status


def test_checkout_is_a_direct_charge_on_the_tenants_account_with_an_idempotency_key(
    stripe, alpha_on_stripe, tenant_a, fee_form
):
    # when a citizen of tenant A starts paying
    payment = start(tenant_a, fee_form)
    # then a Checkout Session was created on tenant A's connected account (direct charge)
    [create] = [r for r in stripe.requests if r["path"] == "/v1/checkout/sessions"]
    assert create["method"] == "POST" and create["stripe_account"] == ACCOUNT
    # with the idempotency key derived from our payment
    with schema_context(tenant_a.schema_name):
        assert create["idempotency_key"] == payment.idempotency_key("checkout")
    params = parse_qs(create["body"])
    assert params["payment_method_types[0]"] == ["card"]
    assert params["payment_method_types[1]"] == ["sepa_debit"]
    assert params["line_items[0][price_data][unit_amount]"] == ["1500"]
    assert params["line_items[0][price_data][currency]"] == ["eur"]
    # the platform fee: 0.50 EUR + 1 % of 15.00 EUR
    assert params["payment_intent_data[application_fee_amount]"] == ["65"]
    assert params["client_reference_id"] == [str(payment.pk)]
    # and the citizen is sent to Stripe's checkout
    assert payment.status == S.PENDING and payment.provider == "stripe"
    assert payment.provider_ref.startswith("cs_") and payment.checkout_url.startswith("https://")
    # starting again returns the same checkout, without a second session
    with schema_context(tenant_a.schema_name):
        again = services.start_payment(
            actor=anonymous(), submission=payment.submission, return_url="http://x/"
        )
    assert again.pk == payment.pk and again.checkout_url == payment.checkout_url
    assert len([r for r in stripe.requests if r["path"] == "/v1/checkout/sessions"]) == 1


def test_a_signed_event_marks_the_payment_paid_by_reading_stripe_back(
    stripe, alpha_on_stripe, tenant_a, fee_form, client_for
):
    payment = start(tenant_a, fee_form)
    stripe.paid(payment.provider_ref, 1500, fee=65)
    # when Stripe sends checkout.session.completed to the one endpoint on the base host
    response = deliver(
        client_for("localhost"),
        checkout_event("evt_1", "checkout.session.completed", payment.provider_ref, ACCOUNT),
    )
    # then the payment is paid (as read back from Stripe, on the connected account)
    assert response.status_code == 200 and response.content == b"applied"
    reads = [r for r in stripe.requests if r["method"] == "GET"]
    assert reads and all(r["stripe_account"] == ACCOUNT for r in reads)
    with schema_context(tenant_a.schema_name):
        paid = Payment.objects.get(pk=payment.pk)
        assert paid.status == S.PAID and paid.application_fee_cents == 65
        assert paid.provider_payment_id.startswith("pi_")
        assert len(jobs("hand_over_submission")) == 1
    # and the same event again changes nothing
    again = deliver(
        client_for("localhost"),
        checkout_event("evt_1", "checkout.session.completed", payment.provider_ref, ACCOUNT),
    )
    assert again.status_code == 200 and again.content == b"duplicate"
    with schema_context(tenant_a.schema_name):
        assert ProviderEventRecord.objects.filter(event_id="evt_1").count() == 1
        assert Payment.objects.get(pk=payment.pk).status_changes.count() == 2  # pending, paid
        assert len(jobs("hand_over_submission")) == 1


def test_sepa_debit_stays_pending_until_the_async_result_arrives(
    stripe, alpha_on_stripe, tenant_a, fee_form, client_for
):
    host = client_for("localhost")
    succeeded = start(tenant_a, fee_form)
    bounced = start(tenant_a, fee_form)
    for payment in (succeeded, bounced):
        stripe.processing(payment.provider_ref, 1500)
        # when the checkout completes with a SEPA debit that is still processing
        r = deliver(
            host,
            checkout_event(
                f"evt_c_{payment.pk.hex[:8]}",
                "checkout.session.completed",
                payment.provider_ref,
                ACCOUNT,
            ),
        )
        # then the payment stays pending
        assert r.content == b"unchanged" and status_of(tenant_a, payment) == S.PENDING
    # when, days later, one debit succeeds and the other bounces
    stripe.paid(succeeded.provider_ref, 1500, method="sepa_debit")
    stripe.failed(bounced.provider_ref, 1500)
    deliver(
        host,
        checkout_event(
            "evt_ok", "checkout.session.async_payment_succeeded", succeeded.provider_ref, ACCOUNT
        ),
    )
    deliver(
        host,
        checkout_event(
            "evt_bad", "checkout.session.async_payment_failed", bounced.provider_ref, ACCOUNT
        ),
    )
    # then one is paid (and handed over), the other failed (and not)
    assert status_of(tenant_a, succeeded) == S.PAID
    assert status_of(tenant_a, bounced) == S.FAILED
    with schema_context(tenant_a.schema_name):
        assert Payment.objects.get(pk=bounced.pk).failure_reason == "insufficient_funds"
        assert [j["submission_id"] for j in jobs("hand_over_submission")] == [
            succeeded.submission_id
        ]


def test_events_out_of_order_end_in_the_state_stripe_has(
    stripe, alpha_on_stripe, tenant_a, fee_form, client_for
):
    host = client_for("localhost")
    payment = start(tenant_a, fee_form)
    stripe.paid(payment.provider_ref, 1500)
    # when the later event arrives first, and the earlier one after it
    late = checkout_event(
        "evt_late", "checkout.session.async_payment_succeeded", payment.provider_ref, ACCOUNT
    )
    early = checkout_event("evt_early", "checkout.session.completed", payment.provider_ref, ACCOUNT)
    assert deliver(host, late).content == b"applied"
    assert deliver(host, early).content == b"unchanged"
    # then the payment is paid, once
    assert status_of(tenant_a, payment) == S.PAID
    with schema_context(tenant_a.schema_name):
        assert len(jobs("hand_over_submission")) == 1


@pytest.mark.parametrize(
    "case", ["forged", "stale", "future", "deep", "unknown_account", "unsigned", "garbage"]
)
def test_forged_stale_and_unknown_account_events_are_rejected_and_change_nothing(
    case, stripe, alpha_on_stripe, tenant_a, fee_form, client_for, caplog
):
    host = client_for("localhost")
    payment = start(tenant_a, fee_form)
    stripe.paid(payment.provider_ref, 1500)
    event = checkout_event("evt_bad", "checkout.session.completed", payment.provider_ref, ACCOUNT)
    caplog.set_level(logging.WARNING, logger="portalwerk.billing.payments.views")
    # when a delivery is not genuine
    if case == "forged":
        response = deliver(host, event, secret="whsec_someone_else")
    elif case == "stale":
        response = deliver(host, event, timestamp=int(time.time()) - 6 * 60)
    elif case == "future":
        response = deliver(host, event, timestamp=int(time.time()) + 6 * 60)
    elif case == "deep":
        # correctly signed, but nested deeper than any JSON parser goes
        depth = 100_000
        body = json.dumps(event)[:-1] + ', "extra": ' + "[" * depth + "]" * depth + "}"
        response = host.post(
            "/webhooks/stripe/",
            data=body.encode(),
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=sign_raw(body.encode(), WEBHOOK_SECRET),
        )
    elif case == "unknown_account":
        response = deliver(host, {**event, "account": "acct_1NobodyKnowsThis"})
    elif case == "unsigned":
        response = host.post("/webhooks/stripe/", data=b"{}", content_type="application/json")
    else:
        body, header = signed({"id": "evt_x"}, WEBHOOK_SECRET)
        response = host.post(
            "/webhooks/stripe/",
            data=b"not json" + body,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=header,
        )
    # then it is refused with 400, logged, and nothing changed
    assert response.status_code == 400
    assert any("rejected" in r.message or "unknown account" in r.message for r in caplog.records)
    assert status_of(tenant_a, payment) == S.PENDING
    with schema_context(tenant_a.schema_name):
        assert not ProviderEventRecord.objects.exists()
        assert jobs("hand_over_submission") == []
    assert not [r for r in stripe.requests if r["method"] == "GET"]


def test_the_tenant_comes_from_the_account_not_from_what_the_payload_claims(
    stripe, alpha_on_stripe, tenant_a, tenant_b, operator, fee_form, client_for
):
    from portalwerk.billing.merchants.services import connect_account

    stripe.account("acct_1BetaTestAccount")
    connect_account(
        actor=from_user(operator),
        tenant=tenant_b,
        provider="stripe",
        account_id="acct_1BetaTestAccount",
    )
    payment = start(tenant_a, fee_form)
    stripe.paid(payment.provider_ref, 1500)
    # when tenant B's account sends an event naming tenant A's checkout
    event = checkout_event(
        "evt_cross", "checkout.session.completed", payment.provider_ref, "acct_1BetaTestAccount"
    )
    event["data"]["object"]["metadata"] = {"tenant": "alpha"}
    response = deliver(client_for("localhost"), event)
    # then it is looked up in tenant B only, where no such payment exists: nothing changes in A
    assert response.status_code == 200 and response.content == b"ignored"
    assert status_of(tenant_a, payment) == S.PENDING
    with schema_context(tenant_a.schema_name):
        assert not ProviderEventRecord.objects.exists()


def test_webhooks_are_not_served_on_tenant_hosts(stripe, alpha_on_stripe, tenant_a, client_for):
    event = checkout_event("evt_t", "checkout.session.completed", "cs_x", ACCOUNT)
    assert deliver(client_for(tenant_a), event).status_code == 404


def test_a_refund_goes_to_the_connected_account_with_an_idempotency_key(
    stripe, alpha_on_stripe, tenant_a, fee_form, client_for, clerk
):
    payment = start(tenant_a, fee_form)
    stripe.paid(payment.provider_ref, 1500)
    deliver(
        client_for("localhost"),
        checkout_event("evt_p", "checkout.session.completed", payment.provider_ref, ACCOUNT),
    )
    with schema_context(tenant_a.schema_name):
        # when a clerk refunds part of it
        refund = services.refund_payment(
            actor=from_user(clerk), payment_id=payment.pk, amount_cents=400, reason="Reduced fee"
        )
        payment.refresh_from_db()
        key = payment.idempotency_key("refund-1")
    # then Stripe was asked on the tenant's account, for that PaymentIntent, once per key
    [call] = [r for r in stripe.requests if r["path"] == "/v1/refunds"]
    params = parse_qs(call["body"])
    assert call["stripe_account"] == ACCOUNT and call["idempotency_key"] == key
    assert params["payment_intent"] == [payment.provider_payment_id]
    assert params["amount"] == ["400"]
    assert refund.provider_ref.startswith("re_")
    assert payment.status == S.PARTIALLY_REFUNDED and payment.refunded_cents == 400


def test_an_expired_checkout_expires_the_payment_and_a_new_one_can_start(
    stripe, alpha_on_stripe, tenant_a, fee_form, client_for
):
    payment = start(tenant_a, fee_form)
    stripe.set_session(
        payment.provider_ref,
        status="expired",
        payment_status="unpaid",
        intent_status="canceled",
        amount=1500,
    )
    response = deliver(
        client_for("localhost"),
        checkout_event("evt_exp", "checkout.session.expired", payment.provider_ref, ACCOUNT),
    )
    assert response.content == b"applied" and status_of(tenant_a, payment) == S.EXPIRED
    with schema_context(tenant_a.schema_name):
        assert jobs("hand_over_submission") == []
        fresh = services.start_payment(
            actor=anonymous(), submission=payment.submission, return_url="http://x/"
        )
    assert fresh.pk != payment.pk and fresh.status == S.PENDING
