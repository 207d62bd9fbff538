"""Staff looking at payments (which name their payers) leaves an audit entry, on the back-office
pages and through the API; a citizen looking at their own payment does not."""

import json

from django_tenants.utils import schema_context

from portalwerk.graphql.core import ids
from portalwerk.platform.audit.models import Entry
from tests.billing.test_refunds_and_export import paid_payment

PAYMENT = """query($id: ID!) { payment(id: $id) { reference } }"""


def viewed(tenant) -> list[tuple[str, str]]:
    with schema_context(tenant.schema_name):
        return list(
            Entry.objects.filter(action="payment.viewed")
            .order_by("pk")
            .values_list("object_type", "object_id")
        )


def test_the_payments_list_and_a_payment_page_are_audited(client_for, tenant_a, fee_form, clerk):
    payment = paid_payment(tenant_a, fee_form)
    office = client_for(tenant_a)
    office.sign_in(clerk.email)
    # given nobody has looked yet
    assert viewed(tenant_a) == []
    # when a clerk lists the payments and opens one
    listing = office.get("/backoffice/payments/")
    assert payment.reference in listing.content.decode()
    assert office.get(f"/backoffice/payments/{payment.pk}/").status_code == 200
    # then both looks are recorded, the second naming the payment
    assert viewed(tenant_a) == [("", ""), ("payment", payment.reference)]


def test_staff_reading_a_payment_through_the_api_is_audited(client_for, tenant_a, fee_form, clerk):
    payment = paid_payment(tenant_a, fee_form)
    api = client_for(tenant_a)
    api.sign_in(clerk.email)
    with schema_context(tenant_a.schema_name):
        payment_id = ids.encode("Payment", payment.pk)
    response = api.post(
        "/graphql/",
        data=json.dumps({"query": PAYMENT, "variables": {"id": payment_id}}),
        content_type="application/json",
    )
    assert response.json()["data"]["payment"] == {"reference": payment.reference}
    assert viewed(tenant_a) == [("payment", payment.reference)]


def test_an_anonymous_look_at_the_payments_page_sees_nothing_and_writes_nothing(
    client_for, tenant_a, fee_form
):
    paid_payment(tenant_a, fee_form)
    response = client_for(tenant_a).get("/backoffice/payments/")
    assert response.status_code == 302  # to the sign-in page
    assert viewed(tenant_a) == []
