"""A payment account is saved only after Stripe itself has said it can take this platform's
payments. stripe-mock answers `GET /v1/accounts/<id>` for any id with its fixture, whose
`charges_enabled` is false: that is the "not set up yet" case, straight from stripe-mock. What
it cannot represent (an account that may take charges; an id that is not connected to this
platform, which Stripe answers with a 403) is played by the state proxy in front of it
(`stripe_state.py`), with Stripe's own answer shapes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portalwerk.billing.merchants.models import MerchantAccount
from portalwerk.billing.merchants.services import connect_account
from portalwerk.platform.audit.models import Entry as AuditEntry
from portalwerk.platform.authz.actors import from_user

pytestmark = pytest.mark.integration


def refused(operator, tenant, account_id: str) -> ValidationError:
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        connect_account(
            actor=from_user(operator), tenant=tenant, provider="stripe", account_id=account_id
        )
    return exc.value


def only(error: ValidationError) -> tuple[str, str, str]:
    [(field, [item])] = error.error_dict.items()
    return field, item.code, item.messages[0]


def test_an_account_stripe_does_not_let_take_charges_is_refused(operator, tenant_a, stripe):
    # given stripe-mock's own answer for acct_123 (charges_enabled: false)
    # when an operator connects it
    error = refused(operator, tenant_a, "acct_123")
    # then it is refused on the account field, saying what to do, and nothing is saved
    field, code, message = only(error)
    assert (field, code) == ("account_id", "invalid_account")
    assert message.startswith("Stripe does not allow this account to take payments yet.")
    assert not MerchantAccount.objects.filter(tenant=tenant_a).exists()
    # and Stripe was asked as the platform (no Stripe-Account header), for exactly this account
    reads = [r for r in stripe.requests if r["path"].startswith("/v1/account")]
    assert [r["path"] for r in reads] == ["/v1/accounts/acct_123", "/v1/account"]
    assert all(r["stripe_account"] == "" for r in reads)


def test_an_account_not_connected_to_this_platform_is_refused(operator, tenant_a, stripe):
    stripe.not_connected_account("acct_1Elsewhere")
    field, code, message = only(refused(operator, tenant_a, "acct_1Elsewhere"))
    assert (field, code) == ("account_id", "invalid_account")
    assert message == "Stripe does not know this account as one connected to this platform."
    assert not MerchantAccount.objects.exists()


def test_an_account_ready_at_stripe_is_saved(operator, tenant_a, stripe):
    stripe.account("acct_1Ready")
    account = connect_account(
        actor=from_user(operator), tenant=tenant_a, provider="stripe", account_id="acct_1Ready"
    )
    assert account.is_active and account.account_id == "acct_1Ready"
    assert AuditEntry.objects.filter(action="tenant.merchant_account_connected").count() == 1


def test_with_stripe_not_set_up_an_account_is_refused_clearly(operator, tenant_a, settings):
    # given an installation whose Stripe plugin has no key (Stripe is off)
    settings.STRIPE_SECRET_KEY = ""
    field, code, message = only(refused(operator, tenant_a, "acct_123"))
    assert (field, code) == ("__all__", "provider_unavailable")
    assert message == (
        "Payments through Stripe are switched off on this installation (it is not set up). "
        "Ask the platform operator."
    )
    assert not MerchantAccount.objects.exists()


def test_when_stripe_cannot_be_reached_nothing_is_saved(operator, tenant_a, stripe, settings):
    from components import free_port

    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"  # nobody listens there
    field, code, message = only(refused(operator, tenant_a, "acct_1Ready"))
    assert (field, code) == ("__all__", "provider_unavailable")
    assert "could not be asked" in message
    assert not MerchantAccount.objects.exists()


def test_the_page_tells_the_tenant_admin_what_stripe_said(
    tenant_a, tenant_admin, client_for, stripe
):
    admin = client_for(tenant_a)
    admin.sign_in(tenant_admin.email)
    response = admin.post(
        "/backoffice/payments/account/", {"account_id": "acct_123"}, HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Stripe erlaubt diesem Konto noch keine Zahlungen" in page
    assert 'href="#f-account_id"' in page


def test_the_operator_console_adds_accounts_only_once_stripe_says_yes(
    client_for, operator, tenant_a, stripe
):
    from tests.conftest import PASSWORD

    console = client_for("localhost")
    assert console.sign_in(operator.email, PASSWORD).status_code == 302

    def add(account_id: str):
        return console.post(
            "/admin/billing_merchants/merchantaccount/add/",
            {
                "tenant": tenant_a.pk,
                "provider": "stripe",
                "account_id": account_id,
                "application_fee_cents": "30",
                "application_fee_bps": "0",
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )

    # stripe-mock's acct_123 may not take charges: the form says so and saves nothing
    refused = add("acct_123")
    assert refused.status_code == 200
    assert "Stripe does not allow this account to take payments yet." in refused.content.decode()
    assert not MerchantAccount.objects.exists()
    # an account Stripe has set up is saved through the service, with the fee, audited
    stripe.account("acct_1Ready")
    assert add("acct_1Ready").status_code == 302
    saved = MerchantAccount.objects.get()
    assert (saved.account_id, saved.application_fee_cents) == ("acct_1Ready", 30)
    assert AuditEntry.objects.filter(action="tenant.merchant_account_connected").count() == 1


def test_the_console_refuses_a_fee_out_of_range_and_disconnects_instead_of_deleting(
    client_for, operator, tenant_a, stripe
):
    from tests.conftest import PASSWORD

    console = client_for("localhost")
    assert console.sign_in(operator.email, PASSWORD).status_code == 302
    stripe.account("acct_1Ready")
    url = "/admin/billing_merchants/merchantaccount/"
    fields = {"tenant": tenant_a.pk, "provider": "stripe", "account_id": "acct_1Ready"}
    # a platform fee of 50 % is refused on the form (it was a server error after the check)
    too_high = console.post(
        f"{url}add/",
        {**fields, "application_fee_cents": "0", "application_fee_bps": "5000"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert too_high.status_code == 200
    assert "The platform fee is out of range." in too_high.content.decode()
    assert not MerchantAccount.objects.exists()
    # a good one is saved
    ok = {**fields, "application_fee_cents": "30", "application_fee_bps": "0"}
    assert console.post(f"{url}add/", ok).status_code == 302
    account = MerchantAccount.objects.get()
    # the row cannot be deleted (late provider events find their tenant through it) ...
    assert console.post(f"{url}{account.pk}/delete/", {"post": "yes"}).status_code == 403
    # ... the console disconnects it through the service, audited
    done = console.post(
        url,
        {"action": "disconnect", "index": 0, "_selected_action": [account.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "acct_1ready is disconnected." in done.content.decode().lower()
    account.refresh_from_db()
    assert account.is_active is False
    assert AuditEntry.objects.filter(action="tenant.merchant_account_disconnected").count() == 1
