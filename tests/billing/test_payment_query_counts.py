"""List pages with payments: the query count does not grow with the number of rows."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from portalwerk.billing.payments import services
from tests.helpers.forms import make_submission


def add_payments(tenant, form, n: int, user=None) -> None:
    with schema_context(tenant.schema_name):
        for _ in range(n):
            submission = make_submission(form, user or AnonymousUser())
            services.start_payment(
                actor=AnonymousUser(), submission=submission, return_url="http://x/"
            )


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_clerk_payments_list_costs_the_same_for_1_and_25_payments(
    tenant_a, fee_form, clerk, client_for
):
    office = client_for(tenant_a)
    office.sign_in(clerk.email)
    add_payments(tenant_a, fee_form, 1)
    one = count(office, "/backoffice/payments/")
    add_payments(tenant_a, fee_form, 24)
    assert count(office, "/backoffice/payments/") == one


def test_my_applications_costs_the_same_for_1_and_25_paid_applications(
    tenant_a, fee_form, citizen, client_for
):
    client = client_for(tenant_a)
    client.sign_in(citizen.email)
    add_payments(tenant_a, fee_form, 1, citizen)
    one = count(client, "/my/applications/")
    add_payments(tenant_a, fee_form, 24, citizen)
    assert count(client, "/my/applications/") == one
