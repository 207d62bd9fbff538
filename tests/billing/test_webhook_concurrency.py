"""The same Stripe event delivered 20 times at once, on 20 real connections: exactly one state
change and one hand-over. No wrapping transaction (`live_db`); the test cleans up after itself."""

from __future__ import annotations

import threading

import pytest
from billing_helpers import WEBHOOK_SECRET, checkout_event, make_submission, signed
from django.contrib.auth.models import AnonymousUser
from django.db import connection, connections
from django.test import Client
from django_tenants.utils import schema_context

from portalwerk.billing.merchants.models import MerchantAccount
from portalwerk.billing.payments import services
from portalwerk.billing.payments.models import (
    HandOver,
    Payment,
    PaymentReferenceSequence,
    PaymentStatus,
    ProviderEventRecord,
    StatusChange,
)
from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.forms import services as form_services
from portalwerk.platform.forms.models import Form, ReferenceSequence, Submission
from portalwerk.tenants.models import Tenant

pytestmark = pytest.mark.integration
ACCOUNT = "acct_1AlphaConcurrent"
DELIVERIES = 20


@pytest.fixture
def paying(live_db, stripe):
    """A committed submission of tenant A with a pending Stripe payment; removed afterwards."""
    from billing_helpers import FEE_DEFINITION

    tenant = Tenant.objects.get(slug="alpha")
    MerchantAccount.objects.create(tenant=tenant, provider="stripe", account_id=ACCOUNT)
    with schema_context(tenant.schema_name):
        clerk = User.objects.create_user("concurrency@alpha.example", None, role=Role.TENANT_ADMIN)
        form = form_services.create_form(
            actor=clerk,
            slug="fishing-concurrent",
            title={"de": "Fischereischein", "en": "Fishing licence"},
            definition=FEE_DEFINITION,
        )
        form_services.publish_version(actor=clerk, version=form.versions.get())
        submission = make_submission(form, AnonymousUser())
        payment = services.start_payment(
            actor=AnonymousUser(), submission=submission, return_url="http://alpha.localhost/x"
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
        ProviderEventRecord.objects.all().delete()
        StatusChange.objects.all().delete()
        HandOver.objects.all().delete()
        Payment.objects.all().delete()
        Submission.objects.all().delete()
        Form.objects.filter(slug="fishing-concurrent").delete()
        User.objects.filter(email="concurrency@alpha.example").delete()
        PaymentReferenceSequence.objects.all().delete()
        ReferenceSequence.objects.all().delete()
        from portalwerk.billing.providers.contrib.demo.models import DemoCheckout

        DemoCheckout.objects.all().delete()


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
