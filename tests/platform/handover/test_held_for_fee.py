"""A form with a fee: its deliveries wait until the fee is paid, then go, carrying the payment
reference; the citizen pays through the pages with the offline demo provider."""

from __future__ import annotations

from django_tenants.utils import schema_context

from portalwerk.billing.payments.models import Payment
from portalwerk.platform.handover.models import Delivery
from tests.billing.billing_helpers import fill_and_submit
from tests.helpers.forms import FEE_DEFINITION, FISHING_LICENCE, jobs, publish_form, run_jobs
from tests.platform.handover.schema_check import errors
from tests.platform.handover.webhook_helpers import webhook_target

DELIVER = "handover.tasks.deliver"


def test_deliveries_of_a_form_with_a_fee_wait_for_the_payment_then_go(
    tenant_a, clerk, media, receiver, client_for
):
    with schema_context(tenant_a.schema_name):
        publish_form(clerk, "fishing-licence", FISHING_LICENCE, FEE_DEFINITION)
        webhook_target(receiver.url, name="Fachverfahren")
        webhook_target(receiver.url, name="DMS")
    client = client_for(tenant_a)
    # when a citizen submits the form and has not paid yet
    pay_url = fill_and_submit(client)
    reference = pay_url.split("/")[2]
    with schema_context(tenant_a.schema_name):
        # then both deliveries are held, and nothing is sent
        held = Delivery.objects.filter(submission__reference=reference)
        assert sorted(held.values_list("status", flat=True)) == ["held", "held"]
        assert jobs(DELIVER) == [] and run_jobs(DELIVER) == []
    assert receiver.requests == 0
    # when they pay with the demo provider
    checkout = client.post(pay_url)["Location"]
    client.post(checkout, {"outcome": "pay"})
    with schema_context(tenant_a.schema_name):
        payment = Payment.objects.get(submission__reference=reference)
        assert payment.status == "paid"
        # then both deliveries go, once each
        assert run_jobs(DELIVER) == ["delivered", "delivered"]
        assert run_jobs(DELIVER) == []
        assert set(held.values_list("status", flat=True)) == {"delivered"}
    assert receiver.count() == 2 and receiver.requests == 2
    # with the fee and its payment in the parcel
    for parcel in receiver.held.values():
        assert errors(parcel) == []
        assert parcel["reference"] == reference
        assert parcel["fee"] == {
            "amount_cents": 1500,
            "currency": "EUR",
            "payment_reference": payment.reference,
            "payment_status": "paid",
        }
