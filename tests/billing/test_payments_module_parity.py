"""A tenant with e-payment switched off takes no payments, on the pages or through the API."""

from __future__ import annotations

import json

from django_tenants.utils import schema_context

from portalwerk.billing.payments.models import Payment
from portalwerk.tenants import routing
from portalwerk.tenants.models import Tenant
from tests.helpers.forms import make_submission

START = """mutation($ref: String!) { startPayment(submissionReference: $ref) {
  checkoutUrl errors { field code message } } }"""


def test_a_switched_off_payments_module_refuses_on_pages_and_api(
    client_for, fee_form, tenant_a, citizen
):
    with schema_context(tenant_a.schema_name):
        reference = make_submission(fee_form, citizen).reference
    browser, app = client_for(tenant_a), client_for(tenant_a)
    browser.sign_in(citizen.email)
    app.sign_in(citizen.email)
    assert browser.get(f"/pay/{reference}/").status_code == 200
    # when the tenant switches e-payment off
    Tenant.objects.filter(pk=tenant_a.pk).update(modules=["catalog", "forms", "appointments"])
    routing.forget()
    # then the payment page is not there and the API says the module is off
    assert browser.get(f"/pay/{reference}/").status_code == 404
    assert browser.post(f"/pay/{reference}/").status_code == 404
    response = app.post(
        "/graphql/",
        data=json.dumps({"query": START, "variables": {"ref": reference}}),
        content_type="application/json",
    )
    refused = response.json()["data"]["startPayment"]
    assert refused["checkoutUrl"] is None
    assert [e["code"] for e in refused["errors"]] == ["module_off"]
    # and no payment was started
    with schema_context(tenant_a.schema_name):
        assert not Payment.objects.exists()
