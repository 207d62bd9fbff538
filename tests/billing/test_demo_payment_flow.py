"""Paying a fee with the offline demo provider, through the citizen pages: check your answers →
pay → the demo page → back; the hand-over, "my applications" and the clerk inbox follow."""

from __future__ import annotations

import re

from billing_helpers import fill_and_submit
from django.core import mail
from django_tenants.utils import schema_context

from portalwerk.billing.payments.models import HandOver, Payment, PaymentStatus
from portalwerk.billing.providers.registry import providers
from tests.helpers.forms import jobs, make_submission, run_jobs

S = PaymentStatus


def test_registry_has_demo_and_stripe_and_checks_their_configuration(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert {"demo", "stripe"} <= set(providers.names())
    problems = providers.check()
    assert {p.plugin for p in problems} == {"stripe"}
    assert any("STRIPE_SECRET_KEY" in p.message for p in problems)
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_x"
    assert providers.get("stripe").check_config() == []
    assert providers.check() == []


def test_a_citizen_pays_with_the_demo_provider_and_the_application_is_handed_over_once(
    client_for, fee_form, tenant_a, clerk
):
    client = client_for(tenant_a)
    # when the citizen submits a form with a fee
    pay_url = fill_and_submit(client)
    # then they are asked to pay, and the office does not see the application yet
    assert re.fullmatch(r"/pay/ALP-\d{4}-\d{6}/", pay_url)
    reference = pay_url.split("/")[2]
    page = client.get(pay_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Pay the fee" in page and "€15.00" in page and "Pay now" in page
    office = client_for(tenant_a)
    office.sign_in(clerk.email)
    assert reference not in office.get("/backoffice/inbox/").content.decode()
    # when they choose to pay
    checkout = client.post(pay_url)
    assert checkout.status_code == 302 and checkout["Location"].startswith("/pay/demo/demo_")
    # then the demo page says clearly it is a demo, with pay and fail buttons
    demo = client.get(checkout["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Demo payment" in demo and "No money is moved" in demo
    assert 'value="pay"' in demo and 'value="fail"' in demo
    # when they pay
    back = client.post(checkout["Location"], {"outcome": "pay"})
    assert back["Location"].startswith(f"http://{client.host}/pay/{reference}/?result=success")
    paid = client.get(f"/pay/{reference}/?result=success", HTTP_ACCEPT_LANGUAGE="en")
    # then the payment is paid and the application handed over exactly once
    assert "Fee paid" in paid.content.decode()
    with schema_context(tenant_a.schema_name):
        payment = Payment.objects.get(submission__reference=reference)
        assert payment.status == S.PAID and payment.amount_cents == 1500
        assert payment.paid_at is not None and payment.method == "demo"
        assert HandOver.objects.get(submission=payment.submission).handed_over_at is not None
        assert len(jobs("hand_over_submission")) == 1
        # a second "pay" click, or a reload, changes nothing
        client.post(checkout["Location"], {"outcome": "pay"})
        client.post(pay_url)
        assert Payment.objects.filter(submission=payment.submission).count() == 1
        assert len(jobs("hand_over_submission")) == 1
        # the hand-over job tells the citizen the payment arrived
        assert run_jobs("hand_over_submission") == [reference]
        assert any(payment.reference in m.body for m in mail.outbox)
    assert reference in office.get("/backoffice/inbox/").content.decode()


def test_a_failed_demo_payment_can_be_tried_again_with_a_new_reference(
    client_for, fee_form, tenant_a
):
    client = client_for(tenant_a)
    pay_url = fill_and_submit(client, duration="5")
    first = client.post(pay_url)["Location"]
    # when the citizen chooses "fail"
    back = client.post(first, {"outcome": "fail"})
    assert "result=cancel" in back["Location"]
    page = client.get(pay_url + "?result=cancel", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # then nothing is paid, nothing handed over, and they can try again
    assert "did not go through" in page and "Try again" in page
    with schema_context(tenant_a.schema_name):
        failed = Payment.objects.get()
        assert failed.status == S.FAILED and failed.amount_cents == 4500
        assert jobs("hand_over_submission") == []
    second = client.post(pay_url)["Location"]
    assert second != first
    client.post(second, {"outcome": "pay"})
    with schema_context(tenant_a.schema_name):
        payments = list(Payment.objects.order_by("created_at"))
        assert [p.status for p in payments] == [S.FAILED, S.PAID]
        assert payments[0].reference != payments[1].reference
        assert len(jobs("hand_over_submission")) == 1


def test_my_applications_shows_the_payment_state(client_for, fee_form, tenant_a, citizen):
    client = client_for(tenant_a)
    client.sign_in(citizen.email)
    with schema_context(tenant_a.schema_name):
        submission = make_submission(fee_form, citizen)
    page = client.get("/my/applications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "not paid yet" in page and f"/pay/{submission.reference}/" in page
    checkout = client.post(f"/pay/{submission.reference}/")["Location"]
    client.post(checkout, {"outcome": "pay"})
    page = client.get("/my/applications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">paid<" in page
    detail = client.get(f"/my/applications/{submission.reference}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "paid (ALP-" in detail.content.decode()


def test_someone_else_cannot_see_or_pay_a_submission(client_for, fee_form, tenant_a, tenant_b):
    owner = client_for(tenant_a)
    pay_url = fill_and_submit(owner)
    # another browser on the same tenant, and the same path on another tenant
    assert client_for(tenant_a).get(pay_url).status_code == 404
    assert client_for(tenant_a).post(pay_url).status_code == 404
    assert client_for(tenant_b).get(pay_url).status_code == 404
    with schema_context(tenant_a.schema_name):
        assert Payment.objects.count() == 0
