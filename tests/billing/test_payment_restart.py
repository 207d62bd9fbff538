"""A payment account that stops working does not strand the citizens who were paying with it:
the tenant admin can disconnect it, paying starts again with the provider the office uses now,
and an application held for a fee nobody can take any more shows up for the clerks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from billing_helpers import fill_and_submit
from django.utils import timezone
from django_tenants.utils import schema_context

from portalwerk.billing.merchants.models import MerchantAccount
from portalwerk.billing.payments.models import Payment, PaymentStatus
from portalwerk.platform.audit.models import Entry as AuditEntry
from portalwerk.platform.forms.models import Submission

pytestmark = pytest.mark.integration
S = PaymentStatus
ACCOUNT = "acct_1AlphaTestAccount"


def payments_of(tenant, reference: str) -> list[tuple[str, str, str]]:
    with schema_context(tenant.schema_name):
        rows = Payment.objects.filter(submission__reference=reference).order_by("created_at")
        return list(rows.values_list("provider", "account_id", "status"))


def test_after_the_admin_disconnects_stripe_the_citizen_pays_again_with_the_demo_provider(
    stripe, alpha_on_stripe, tenant_a, fee_form, tenant_admin, client_for
):
    citizen = client_for(tenant_a)
    pay_url = fill_and_submit(citizen)
    reference = pay_url.split("/")[2]
    # given a citizen who went to Stripe's checkout and came back without paying
    first = citizen.post(pay_url)
    assert first.status_code == 302 and "stripe" in first["Location"]
    [(_p, _a, status)] = payments_of(tenant_a, reference)
    with schema_context(tenant_a.schema_name):
        session = Payment.objects.get(submission__reference=reference).provider_ref
    # when the tenant admin disconnects the Stripe account on the payment-account page
    admin = client_for(tenant_a)
    admin.sign_in(tenant_admin.email)
    done = admin.post("/backoffice/payments/account/", {"action": "disconnect"})
    assert done.status_code == 302
    page = admin.get("/backoffice/payments/account/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No Stripe account is connected." in page
    assert "Citizens pay with the built-in demo provider" in page
    assert not MerchantAccount.objects.filter(tenant=tenant_a, is_active=True).exists()
    assert AuditEntry.objects.filter(action="tenant.merchant_account_disconnected").count() == 1
    # and the citizen tries to pay again
    again = citizen.post(pay_url)
    # then they are sent to the provider the office uses now, not refused
    assert again.status_code == 302 and again["Location"].startswith("/pay/demo/demo_")
    assert payments_of(tenant_a, reference) == [
        ("stripe", ACCOUNT, S.EXPIRED),
        ("demo", "", S.PENDING),
    ]
    # and the old Stripe checkout was closed on the office's account, so it cannot be paid too
    [expire] = [r for r in stripe.requests if r["path"].endswith(f"{session}/expire")]
    assert expire["method"] == "POST" and expire["stripe_account"] == ACCOUNT


def test_a_payment_stuck_on_a_deleted_account_can_be_started_again(
    stripe, alpha_on_stripe, tenant_a, fee_form, client_for, settings
):
    from components import free_port

    citizen = client_for(tenant_a)
    pay_url = fill_and_submit(citizen)
    reference = pay_url.split("/")[2]
    # given Stripe could not be reached when the citizen first tried (the payment never left
    # "created", bound to the Stripe account)
    reachable = settings.STRIPE_API_BASE
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"
    assert citizen.post(pay_url).status_code == 409
    assert payments_of(tenant_a, reference) == [("stripe", ACCOUNT, S.CREATED)]
    # and the operator then deleted the account (and Stripe is back)
    MerchantAccount.objects.filter(account_id=ACCOUNT).delete()
    settings.STRIPE_API_BASE = reachable
    # when the citizen tries again
    again = citizen.post(pay_url)
    # then paying starts with the current provider instead of a 409 for ever
    assert again.status_code == 302 and again["Location"].startswith("/pay/demo/demo_")
    assert payments_of(tenant_a, reference) == [
        ("stripe", ACCOUNT, S.EXPIRED),
        ("demo", "", S.PENDING),
    ]


def test_an_application_nobody_can_pay_any_more_shows_in_the_inbox(
    stripe, alpha_on_stripe, tenant_a, fee_form, tenant_admin, clerk, client_for, settings
):
    # given an installation without the demo provider as the default
    settings.PORTALWERK_PAYMENT_DEFAULT_PROVIDER = ""
    citizen = client_for(tenant_a)
    pay_url = fill_and_submit(citizen)
    reference = pay_url.split("/")[2]
    office = client_for(tenant_a)
    office.sign_in(clerk.email)
    # while the office can take the fee, the application waits for it, out of the inbox
    assert reference not in office.get("/backoffice/inbox/").content.decode()
    # when the tenant admin disconnects the only payment account
    admin = client_for(tenant_a)
    admin.sign_in(tenant_admin.email)
    admin.post("/backoffice/payments/account/", {"action": "disconnect"})
    page = admin.get("/backoffice/payments/account/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Citizens cannot pay fees online" in page
    # then the citizen is told clearly that paying online is not possible, with no pay button
    shown = citizen.get(pay_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This office does not take payments online yet" in shown
    assert 'id="pay-now"' not in shown
    refused = citizen.post(pay_url, HTTP_ACCEPT_LANGUAGE="en")
    assert "This office does not take payments online yet" in refused.content.decode()
    # and the clerks see the held application, marked, and can filter for such applications
    inbox = office.get("/backoffice/inbox/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reference in inbox and "Held: fee cannot be paid online" in inbox
    blocked = office.get("/backoffice/inbox/?payment=blocked").content.decode()
    assert reference in blocked
    with schema_context(tenant_a.schema_name):
        pk = Submission.objects.get(reference=reference).pk
    assert reference in office.get(f"/backoffice/inbox/{pk}/").content.decode()
    # when the admin connects a working account again, it goes back to waiting for the fee
    stripe.account("acct_1AlphaNewAccount")
    admin.post("/backoffice/payments/account/", {"account_id": "acct_1AlphaNewAccount"})
    assert reference not in office.get("/backoffice/inbox/").content.decode()
    assert citizen.post(pay_url).status_code == 302


def test_with_stripe_switched_off_payments_start_with_the_demo_provider(
    stripe, alpha_on_stripe, tenant_a, fee_form, client_for, settings
):
    citizen = client_for(tenant_a)
    pay_url = fill_and_submit(citizen)
    reference = pay_url.split("/")[2]
    assert "stripe" in citizen.post(pay_url)["Location"]
    # when the operator switches Stripe off (its key removed) while the account stays connected
    settings.STRIPE_SECRET_KEY = ""
    # then, while the Stripe checkout could still be paid (nobody can ask Stripe about it now),
    # no second payment starts
    assert citizen.post(pay_url).status_code == 409
    # and once it cannot, the citizen pays with the provider that works, the Stripe attempt
    # closed here
    with schema_context(tenant_a.schema_name):
        Payment.objects.filter(submission__reference=reference).update(
            created_at=timezone.now() - timedelta(hours=25)
        )
    again = citizen.post(pay_url)
    assert again.status_code == 302 and again["Location"].startswith("/pay/demo/demo_")
    assert payments_of(tenant_a, reference) == [
        ("stripe", ACCOUNT, S.EXPIRED),
        ("demo", "", S.PENDING),
    ]


def test_the_periodic_job_flags_what_waits_on_an_account_the_operator_deleted(
    stripe, alpha_on_stripe, tenant_a, fee_form, clerk, client_for, settings
):
    from portalwerk.billing.payments.tasks import flag_blocked_hand_overs

    settings.PORTALWERK_PAYMENT_DEFAULT_PROVIDER = ""
    reference = fill_and_submit(client_for(tenant_a)).split("/")[2]
    office = client_for(tenant_a)
    office.sign_in(clerk.email)
    # when the operator deletes the tenant's only account in the console (no tenant page ran)
    MerchantAccount.objects.filter(account_id=ACCOUNT).delete()
    assert reference not in office.get("/backoffice/inbox/").content.decode()
    # then the periodic job finds the application nobody can pay, and the clerks see it
    flagged = flag_blocked_hand_overs(timestamp=0)
    assert flagged[tenant_a.schema_name] == 1
    assert reference in office.get("/backoffice/inbox/?payment=blocked").content.decode()


def test_a_checkout_the_old_provider_cannot_be_asked_about_is_not_replaced_while_payable(
    stripe, alpha_on_stripe, tenant_a, fee_form, client_for, settings
):
    from components import free_port

    citizen = client_for(tenant_a)
    pay_url = fill_and_submit(citizen)
    reference = pay_url.split("/")[2]
    # given a citizen who opened Stripe's checkout (it may still be open in another tab)
    assert "stripe" in citizen.post(pay_url)["Location"]
    # and the account is then deleted while Stripe cannot be reached
    MerchantAccount.objects.filter(account_id=ACCOUNT).delete()
    reachable = settings.STRIPE_API_BASE
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"
    # when the citizen tries to pay again
    refused = citizen.post(pay_url, HTTP_ACCEPT_LANGUAGE="en")
    # then no second payment starts while the first checkout could still be paid
    assert refused.status_code == 409
    assert "earlier payment page may still be open" in refused.content.decode()
    assert payments_of(tenant_a, reference) == [("stripe", ACCOUNT, S.PENDING)]
    # and once no checkout can outlive it, paying starts again with the current provider
    with schema_context(tenant_a.schema_name):
        Payment.objects.filter(submission__reference=reference).update(
            created_at=timezone.now() - timedelta(hours=25)
        )
    again = citizen.post(pay_url)
    settings.STRIPE_API_BASE = reachable
    assert again.status_code == 302 and again["Location"].startswith("/pay/demo/demo_")
    assert [status for _p, _a, status in payments_of(tenant_a, reference)] == [
        S.EXPIRED,
        S.PENDING,
    ]
