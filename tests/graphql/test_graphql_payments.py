"""The payments part of the tenant API: startPayment, payment(id), refundPayment, reconciliation."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django_tenants.utils import schema_context

from portalwerk.billing.payments import services
from portalwerk.billing.payments.models import Payment, Refund
from portalwerk.graphql.core import ids
from portalwerk.platform.authz.actors import anonymous
from tests.helpers.forms import FEE_DEFINITION, FISHING_LICENCE, make_submission, publish_form

START = """mutation($ref: String!) { startPayment(submissionReference: $ref) {
  checkoutUrl payment { id reference status amountCents submissionReference }
  errors { field code message } } }"""
PAYMENT = "query($id: ID!) { payment(id: $id) { reference status amountCents checkoutUrl } }"
REFUND = """mutation($input: RefundPaymentInput!) { refundPayment(input: $input) {
  payment { status refundedCents } refund { amountCents reason } errors { field code } } }"""
RECONCILIATION = """query($from: Date!, $to: Date!) { reconciliation(dateFrom: $from, dateTo: $to) {
  rows { paymentReference submissionReference budgetLine amountCents payoutCents } csv } }"""


@pytest.fixture
def fee_form(tenant_a, clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with schema_context(tenant_a.schema_name):
        return publish_form(clerk, "fishing-licence", FISHING_LICENCE, FEE_DEFINITION)


def submitted_in(client, tenant, form, user=None) -> str:
    """A submission made by this browser (kept in its session, as the citizen pages do)."""
    with schema_context(tenant.schema_name):  # sessions live in the tenant's schema
        submission = make_submission(form, user or AnonymousUser())
        session = client.session
        session["form_submissions"] = [submission.reference]
        session.save()
    return submission.reference


def test_a_citizen_starts_paying_and_reads_the_payment(
    client_for, gql, tenant_a, tenant_b, fee_form
):
    citizen = client_for(tenant_a)
    reference = submitted_in(citizen, tenant_a, fee_form)
    # when the citizen starts paying their own application
    data = gql(citizen, START, {"ref": reference})["data"]["startPayment"]
    # then they get the checkout URL and a pending payment
    assert data["errors"] == [] and data["checkoutUrl"].startswith("/pay/demo/")
    payment = data["payment"]
    assert payment["status"] == "PENDING" and payment["amountCents"] == 1500
    assert payment["submissionReference"] == reference
    read = gql(citizen, PAYMENT, {"id": payment["id"]})["data"]["payment"]
    assert read["reference"] == payment["reference"] and read["checkoutUrl"]
    # another browser, and another tenant's host, see nothing and start nothing
    stranger = client_for(tenant_a)
    assert gql(stranger, PAYMENT, {"id": payment["id"]})["data"]["payment"] is None
    refused = gql(stranger, START, {"ref": reference})["data"]["startPayment"]
    assert refused["payment"] is None
    assert refused["errors"] == [
        {
            "field": "submissionReference",
            "code": "not_found",
            "message": refused["errors"][0]["message"],
        }
    ]
    assert gql(client_for(tenant_b), PAYMENT, {"id": payment["id"]})["data"]["payment"] is None
    with schema_context(tenant_a.schema_name):
        assert Payment.objects.count() == 1


def _paid(tenant, form) -> Payment:
    from portalwerk.billing.providers.base import ProviderEvent
    from portalwerk.billing.providers.contrib.demo.models import DemoCheckout

    with schema_context(tenant.schema_name):
        submission = make_submission(form, AnonymousUser())
        payment = services.start_payment(
            actor=anonymous(), submission=submission, return_url="http://x/"
        )
        DemoCheckout.objects.filter(ref=payment.provider_ref).update(status="paid")
        services.handle_provider_event(
            provider="demo", event=ProviderEvent("demo_evt_gql", "t", payment.provider_ref)
        )
        return Payment.objects.get(pk=payment.pk)


def test_refund_payment_authorization_and_errors(
    client_for, gql, tenant_a, fee_form, clerk, citizen
):
    payment = _paid(tenant_a, fee_form)
    with schema_context(tenant_a.schema_name):
        gid = str(ids.encode("Payment", payment.pk))
    variables = {"input": {"paymentId": gid, "reason": "Reduced", "amountCents": 500}}
    # anonymous and citizens are refused, nothing changes
    signed_citizen = client_for(tenant_a)
    signed_citizen.sign_in(citizen.email)
    for caller in (client_for(tenant_a), signed_citizen):
        refused = gql(caller, REFUND, variables)["data"]["refundPayment"]
        assert refused == {
            "payment": None,
            "refund": None,
            "errors": [{"field": None, "code": "permission_denied"}],
        }
    with schema_context(tenant_a.schema_name):
        assert not Refund.objects.exists()
    office = client_for(tenant_a)
    office.sign_in(clerk.email)
    # an ID that is not one of this tenant's payments is not found, on its field
    malformed = {"input": {**variables["input"], "paymentId": "abc"}}
    errors = gql(office, REFUND, malformed)["data"]["refundPayment"]["errors"]
    assert errors == [{"field": "paymentId", "code": "not_found"}]
    # a wrong amount is an error on its field
    too_much = {"input": {**variables["input"], "amountCents": 99999}}
    errors = gql(office, REFUND, too_much)["data"]["refundPayment"]["errors"]
    assert errors == [{"field": "amountCents", "code": "invalid_amount"}]
    # a clerk refunds part of it
    done = gql(office, REFUND, variables)["data"]["refundPayment"]
    assert done["errors"] == [] and done["refund"] == {"amountCents": 500, "reason": "Reduced"}
    assert done["payment"] == {"status": "PARTIALLY_REFUNDED", "refundedCents": 500}


def test_reconciliation_is_for_the_finance_role(
    client_for, gql, tenant_a, fee_form, clerk, tenant_admin
):
    payment = _paid(tenant_a, fee_form)
    today = timezone.localdate().isoformat()
    office = client_for(tenant_a)
    office.sign_in(clerk.email)
    assert (
        gql(office, RECONCILIATION, {"from": today, "to": today})["data"]["reconciliation"] is None
    )
    finance = client_for(tenant_a)
    finance.sign_in(tenant_admin.email)
    data = gql(finance, RECONCILIATION, {"from": today, "to": today})["data"]["reconciliation"]
    assert [r["paymentReference"] for r in data["rows"]] == [payment.reference]
    assert data["rows"][0]["amountCents"] == 1500 and data["rows"][0]["payoutCents"] == 1500
    assert payment.reference in data["csv"]
