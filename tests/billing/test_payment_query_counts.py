"""List pages with payments: the query count does not grow with the number of rows."""

from __future__ import annotations

import re

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from portalwerk.billing.payments import services
from portalwerk.platform.authz.actors import anonymous
from tests.helpers.forms import make_submission


def add_payments(tenant, form, n: int, user=None) -> None:
    with schema_context(tenant.schema_name):
        for _ in range(n):
            submission = make_submission(form, user or AnonymousUser())
            services.start_payment(actor=anonymous(), submission=submission, return_url="http://x/")


PAYMENT_LINK = re.compile(r'href="/backoffice/payments/[0-9a-f-]{36}/"')
PAY_LINK = re.compile(r'href="/pay/[^"/]+/"')


def count(client, url: str, rows: re.Pattern) -> tuple[int, int]:
    """(queries, rows shown): the page's query count and how many payments it lists."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(rows.findall(response.content.decode()))


def test_the_clerk_payments_list_costs_the_same_for_1_and_25_payments(
    tenant_a, fee_form, clerk, client_for
):
    office = client_for(tenant_a)
    office.sign_in(clerk.email)
    add_payments(tenant_a, fee_form, 1)
    one, shown = count(office, "/backoffice/payments/", PAYMENT_LINK)
    assert shown == 1
    add_payments(tenant_a, fee_form, 24)
    # the clerk sees all 25 payments, for the queries one cost
    assert count(office, "/backoffice/payments/", PAYMENT_LINK) == (one, 25)


def test_my_applications_costs_the_same_for_1_and_25_paid_applications(
    tenant_a, fee_form, citizen, client_for
):
    client = client_for(tenant_a)
    client.sign_in(citizen.email)
    add_payments(tenant_a, fee_form, 1, citizen)
    one, shown = count(client, "/my/applications/", PAY_LINK)
    assert shown == 1
    add_payments(tenant_a, fee_form, 24, citizen)
    # the citizen sees the payment of each of the 25 applications, for the queries one cost
    assert count(client, "/my/applications/", PAY_LINK) == (one, 25)
