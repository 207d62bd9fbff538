"""Connecting a tenant's Stripe account: operators for any tenant (with the platform fee), a
tenant admin for their own tenant only (the fee stays the operator's)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from portalwerk.billing.merchants.models import MerchantAccount
from portalwerk.billing.merchants.services import connect_account, tenant_for_account
from portalwerk.platform.audit.models import Entry as AuditEntry
from portalwerk.platform.authz.actors import from_user

pytestmark = pytest.mark.integration


def test_an_operator_connects_an_account_with_a_platform_fee(operator, tenant_a, stripe):
    stripe.account("acct_1Alpha")
    account = connect_account(
        actor=from_user(operator),
        tenant=tenant_a,
        provider="stripe",
        account_id="acct_1Alpha",
        application_fee_cents=30,
        application_fee_bps=150,
    )
    assert tenant_for_account("stripe", "acct_1Alpha") == tenant_a
    assert account.application_fee_for(2000) == 30 + 30
    assert account.application_fee_for(10) == 10  # never more than the amount
    assert AuditEntry.objects.filter(action="tenant.merchant_account_connected").count() == 1


def test_a_tenant_admin_connects_only_their_own_account_and_keeps_the_fee(
    operator, tenant_a, tenant_b, tenant_admin, stripe
):
    for ready in ("acct_1Old", "acct_1New", "acct_1B"):
        stripe.account(ready)
    connect_account(
        actor=from_user(operator),
        tenant=tenant_a,
        provider="stripe",
        account_id="acct_1Old",
        application_fee_cents=50,
    )
    with schema_context(tenant_a.schema_name):
        # the admin replaces the account, and cannot lower the platform fee
        new = connect_account(
            actor=from_user(tenant_admin),
            tenant=tenant_a,
            provider="stripe",
            account_id="acct_1New",
            application_fee_cents=0,
        )
        assert new.application_fee_cents == 50
        # and cannot touch another tenant
        with pytest.raises(ValidationError):
            connect_account(
                actor=from_user(tenant_admin),
                tenant=tenant_b,
                provider="stripe",
                account_id="acct_1B",
            )
    active = MerchantAccount.objects.filter(tenant=tenant_a, is_active=True)
    assert list(active.values_list("account_id", flat=True)) == ["acct_1New"]
    assert not MerchantAccount.objects.filter(tenant=tenant_b).exists()
    # the old account still resolves to its tenant (late events about its payments)
    assert tenant_for_account("stripe", "acct_1Old") == tenant_a


def test_an_account_belongs_to_one_tenant_and_ids_are_checked(operator, tenant_a, tenant_b, stripe):
    stripe.account("acct_1Taken")
    connect_account(
        actor=from_user(operator), tenant=tenant_a, provider="stripe", account_id="acct_1Taken"
    )
    for bad in ("acct_1Taken", "not-an-account", ""):
        with pytest.raises(ValidationError) as exc:
            connect_account(
                actor=from_user(operator), tenant=tenant_b, provider="stripe", account_id=bad
            )
        assert exc.value.error_dict["account_id"][0].code == "invalid_account"
    assert tenant_for_account("stripe", "acct_1Taken") == tenant_a


def test_the_back_office_page_is_for_the_tenant_admin(
    tenant_a, tenant_admin, clerk, client_for, stripe
):
    stripe.account("acct_1X")
    office = client_for(tenant_a)
    office.sign_in(clerk.email)
    assert (
        office.post("/backoffice/payments/account/", {"account_id": "acct_1X"}).status_code == 404
    )
    admin = client_for(tenant_a)
    admin.sign_in(tenant_admin.email)
    bad = admin.post("/backoffice/payments/account/", {"account_id": "nope"})
    assert bad.status_code == 400 and 'href="#f-account_id"' in bad.content.decode()
    assert admin.post("/backoffice/payments/account/", {"account_id": "acct_1X"}).status_code == 302
    assert "acct_1X" in admin.get("/backoffice/payments/account/").content.decode()
    assert tenant_for_account("stripe", "acct_1X") == tenant_a
