"""The Stripe plugin decides what a Stripe account id looks like; connecting an account asks it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portalwerk.billing.merchants.models import MerchantAccount
from portalwerk.billing.merchants.services import connect_account
from portalwerk.billing.providers.registry import providers
from portalwerk.platform.authz.actors import from_user


def test_the_stripe_plugin_accepts_connected_account_ids_only():
    stripe = providers.get("stripe")
    assert stripe.account_id_problem("acct_1AbC") is None
    for bad in ("", "acct_", "cus_1AbC", "acct_1 AbC", "acct_1AbC\n"):
        with translation.override("en"):
            assert stripe.account_id_problem(bad) == "A Stripe account id starts with acct_."
    with translation.override("de"):
        assert stripe.account_id_problem("x") == "Eine Stripe-Konto-ID beginnt mit acct_."


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


def test_connecting_a_malformed_stripe_account_is_refused_on_the_account_field(operator, tenant_a):
    with pytest.raises(ValidationError) as refused:
        connect_account(
            actor=from_user(operator), tenant=tenant_a, provider="stripe", account_id="cus_1X"
        )
    assert codes(refused.value) == {"account_id": ["invalid_account"]}
    assert not MerchantAccount.objects.filter(tenant=tenant_a).exists()


def test_an_account_with_a_provider_that_is_not_enabled_is_refused(settings, operator, tenant_a):
    settings.PORTALWERK_PLUGINS = {**settings.PORTALWERK_PLUGINS, "payment": []}
    with pytest.raises(ValidationError) as refused:
        connect_account(
            actor=from_user(operator), tenant=tenant_a, provider="stripe", account_id="acct_1X"
        )
    assert codes(refused.value) == {"__all__": ["provider_unavailable"]}
    assert not MerchantAccount.objects.filter(tenant=tenant_a).exists()
