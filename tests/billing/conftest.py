"""Fixtures for payments: a published form with a fee in tenant A, submissions of it."""

from __future__ import annotations

import pytest
from billing_helpers import WEBHOOK_SECRET
from django.contrib.auth.models import AnonymousUser
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.forms.models import Form
from tests.helpers.forms import FEE_DEFINITION, FISHING_LICENCE, make_submission, publish_form


@pytest.fixture
def fee_form(tenant_a, clerk, settings, tmp_path) -> Form:
    settings.MEDIA_ROOT = tmp_path / "media"
    with schema_context(tenant_a.schema_name):
        return publish_form(
            clerk,
            "fishing-licence",
            FISHING_LICENCE,
            FEE_DEFINITION,
            service_key="fischereischein",
        )


@pytest.fixture
def submission(tenant_a, fee_form):
    with schema_context(tenant_a.schema_name):
        return make_submission(fee_form, AnonymousUser())


@pytest.fixture(scope="session")
def stripe_mock():
    """stripe-mock, built from its Go module once (cached) and run for the session."""
    from components import StripeMock

    mock = StripeMock().start()
    yield mock
    mock.stop()


@pytest.fixture(scope="session")
def stripe_state(stripe_mock):
    from stripe_state import StripeState

    state = StripeState(stripe_mock.url).start()
    yield state
    state.stop()


@pytest.fixture
def stripe(stripe_state, settings):
    """The Stripe settings pointing at stripe-mock (through the state overlay)."""
    settings.STRIPE_SECRET_KEY = "sk_test_portalwerk"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = stripe_state.url
    stripe_state.reset()
    return stripe_state


@pytest.fixture
def alpha_on_stripe(tenant_a, operator, stripe):
    """Tenant A has connected its Stripe account, with a platform fee of 0.50 EUR + 1 %."""
    from portalwerk.billing.merchants.services import connect_account

    stripe.account("acct_1AlphaTestAccount")
    account = connect_account(
        actor=from_user(operator),
        tenant=tenant_a,
        provider="stripe",
        account_id="acct_1AlphaTestAccount",
        application_fee_cents=50,
        application_fee_bps=100,
    )
    stripe.requests.clear()  # tests look at what citizens' payments send, not at connecting
    return account
