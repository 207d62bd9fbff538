"""The same Stripe event delivered 20 times at once, on 20 real connections: exactly one state
change and one hand-over. No wrapping transaction (`live_db`); the test cleans up after itself."""

from __future__ import annotations

import threading

import pytest
from billing_helpers import WEBHOOK_SECRET, checkout_event, signed
from django.contrib.auth.models import AnonymousUser
from django.db import connection, connections
from django.test import Client
from django_tenants.utils import schema_context

from portalwerk.billing.merchants.models import MerchantAccount
from portalwerk.billing.payments import services
from portalwerk.billing.payments.models import (
    HandOver,
    Payment,
    PaymentStatus,
    ProviderEventRecord,
    StatusChange,
)
from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.authz.actors import anonymous
from portalwerk.tenants.models import Tenant
from tests.helpers.forms import FEE_DEFINITION, FISHING_LICENCE, make_submission, publish_form
from tests.helpers.payments import delete_payments_data

pytestmark = pytest.mark.integration
ACCOUNT = "acct_1AlphaConcurrent"
DELIVERIES = 20


@pytest.fixture
def paying(live_db, stripe):
    """A committed submission of tenant A with a pending Stripe payment; removed afterwards."""
    tenant = Tenant.objects.get(slug="alpha")
    MerchantAccount.objects.create(tenant=tenant, provider="stripe", account_id=ACCOUNT)
    with schema_context(tenant.schema_name):
        clerk = User.objects.create_user("concurrency@alpha.example", None, role=Role.TENANT_ADMIN)
        form = publish_form(clerk, "fishing-concurrent", FISHING_LICENCE, FEE_DEFINITION)
        submission = make_submission(form, AnonymousUser())
        payment = services.start_payment(
            actor=anonymous(), submission=submission, return_url="http://alpha.localhost/x"
        )
    connection.set_schema_to_public()
    yield tenant, payment
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_jobs WHERE args->>'schema_name' = %s",
            [tenant.schema_name],
        )
    MerchantAccount.objects.filter(account_id=ACCOUNT).delete()
    with schema_context(tenant.schema_name):
        delete_payments_data()
        User.objects.filter(email="concurrency@alpha.example").delete()


def fire(bodies: list[tuple[bytes, str]]) -> list[tuple[int, bytes]]:
    """POST every delivery at once, each from its own thread with its own connection."""
    barrier = threading.Barrier(len(bodies))
    results: list[tuple[int, bytes]] = [(0, b"")] * len(bodies)

    def deliver(i: int, body: bytes, header: str) -> None:
        try:
            client = Client(HTTP_HOST="localhost")
            barrier.wait(timeout=30)
            response = client.post(
                "/webhooks/stripe/",
                data=body,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=header,
            )
            results[i] = (response.status_code, response.content)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver, args=(i, *b)) for i, b in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def outcome(tenant: Tenant, payment: Payment) -> tuple[str, int, int, int]:
    with schema_context(tenant.schema_name):
        paid_changes = StatusChange.objects.filter(payment=payment, new_status="paid").count()
        handed_over = HandOver.objects.filter(
            submission_id=payment.submission_id, handed_over_at__isnull=False
        ).count()
        status = Payment.objects.get(pk=payment.pk).status
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE task_name LIKE %s "
            "AND args->>'schema_name' = %s AND (args->>'submission_id')::int = %s",
            ["%hand_over_submission", tenant.schema_name, payment.submission_id],
        )
        jobs = cursor.fetchone()[0]
    return status, paid_changes, handed_over, jobs


def test_the_same_event_twenty_times_at_once_changes_the_payment_once(paying, stripe):
    tenant, payment = paying
    stripe.paid(payment.provider_ref, 1500)
    event = checkout_event(
        "evt_concurrent", "checkout.session.completed", payment.provider_ref, ACCOUNT
    )
    body = signed(event, WEBHOOK_SECRET)
    # when Stripe's delivery arrives 20 times concurrently
    results = fire([body] * DELIVERIES)
    # then every delivery is answered 200; exactly one applied the change
    assert all(code == 200 for code, _ in results), results
    contents = sorted(content for _, content in results)
    assert contents.count(b"applied") == 1
    assert contents.count(b"duplicate") == DELIVERIES - 1
    # and the payment is paid once, handed over once, with one hand-over job
    assert outcome(tenant, payment) == (PaymentStatus.PAID, 1, 1, 1)
    with schema_context(tenant.schema_name):
        assert ProviderEventRecord.objects.filter(event_id="evt_concurrent").count() == 1


def test_two_different_events_ten_times_each_at_once_still_change_it_once(paying, stripe):
    tenant, payment = paying
    stripe.paid(payment.provider_ref, 1500)
    completed = signed(
        checkout_event("evt_a", "checkout.session.completed", payment.provider_ref, ACCOUNT),
        WEBHOOK_SECRET,
    )
    succeeded = signed(
        checkout_event(
            "evt_b", "checkout.session.async_payment_succeeded", payment.provider_ref, ACCOUNT
        ),
        WEBHOOK_SECRET,
    )
    # when both events arrive ten times each, interleaved, all at once
    results = fire([completed, succeeded] * (DELIVERIES // 2))
    # then one delivery changed the payment, one more re-read it and found nothing new
    contents = [content for _, content in results]
    assert contents.count(b"applied") == 1
    assert contents.count(b"unchanged") == 1
    assert contents.count(b"duplicate") == DELIVERIES - 2
    assert outcome(tenant, payment) == (PaymentStatus.PAID, 1, 1, 1)
