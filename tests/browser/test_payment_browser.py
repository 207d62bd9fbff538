"""A citizen applies for a fishing licence with a fee, with the keyboard only, in a real browser
(Debian's chromium driven by Playwright), pays through the demo provider; axe-core finds nothing
on any page; the clerk then finds the paid application in the inbox and its payment.

The server, the browser and axe-core come from the browser conftest; the server does not flush
the database, and this test removes what it committed."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from tests.browser.keyboard import press_button, tab_to
from tests.helpers.forms import FEE_DEFINITION, FISHING_LICENCE, publish_form
from tests.helpers.payments import delete_payments_data

pytestmark = pytest.mark.browser

PASSWORD = "Test-Passwort-2026!"
CLERK = "browser-payments@alpha.example"


@pytest.fixture
def fishing_form_with_fee(live_db):
    from portalwerk.billing.payments.models import FeeAccount
    from portalwerk.platform.accounts.models import Role, User
    from portalwerk.tenants.models import Tenant

    tenant = Tenant.objects.get(slug="alpha")
    with schema_context(tenant.schema_name):
        clerk = User.objects.create_user(CLERK, PASSWORD, role=Role.CLERK_PROCESSOR)
        form = publish_form(
            clerk, "fishing-licence", FISHING_LICENCE, FEE_DEFINITION, service_key="fischereischein"
        )
        FeeAccount.objects.create(
            form=form, budget_line="1.2.2.0.432100", booking_text="Fischereischein {reference}"
        )
    yield tenant
    with schema_context(tenant.schema_name):
        delete_payments_data()
        User.objects.filter(email=CLERK).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_jobs WHERE args->>'schema_name' = %s", [tenant.schema_name]
        )
    connection.set_schema_to_public()


def test_fishing_licence_fee_paid_with_the_demo_provider_by_keyboard(
    live_url, fishing_form_with_fee, new_page, assert_accessible
):
    from portalwerk.billing.payments.models import HandOver, Payment

    page = new_page(locale="en-GB")
    page.goto(f"{live_url}/forms/fishing-licence/")
    assert_accessible(page)
    press_button(page, "Start now")
    tab_to(page, "f-first_name")
    page.keyboard.type("Erika")
    tab_to(page, "f-last_name")
    page.keyboard.type("Muster")
    tab_to(page, "f-email")
    page.keyboard.type("erika@example.org")
    press_button(page, "Continue")
    assert_accessible(page)
    tab_to(page, "f-duration-0")
    page.keyboard.press("Space")
    press_button(page, "Continue")
    # check your answers shows the fee
    assert_accessible(page)
    assert "€15.00" in page.inner_text("main")
    press_button(page, "Submit application")
    # the payment step
    assert re.search(r"/pay/ALP-\d{4}-\d{6}/$", page.url)
    reference = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert_accessible(page)
    assert "€15.00" in page.inner_text("main")
    press_button(page, element_id="pay-now")
    # the demo provider's page says clearly that it is a demo
    assert "/pay/demo/" in page.url
    assert_accessible(page)
    main = page.inner_text("main")
    assert "Demo" in main and "No money is moved" in main
    press_button(page, element_id="demo-pay")
    # back on the portal: paid
    assert "result=success" in page.url
    assert_accessible(page)
    assert page.locator("h1").inner_text() == "Fee paid"
    payment_reference = page.inner_text(".reference")
    # the clerk finds the application (handed over after payment) and its payment
    office = new_page(locale="en-GB")
    office.goto(f"{live_url}/accounts/sign-in/?next=/backoffice/inbox/")
    tab_to(office, "id_email")
    office.keyboard.type(CLERK)
    tab_to(office, "id_password")
    office.keyboard.type(PASSWORD)
    office.keyboard.press("Enter")
    office.wait_for_url(re.compile(r".*/backoffice/inbox/$"))
    assert reference in office.inner_text("main")
    office.goto(f"{live_url}/backoffice/payments/?submission={reference}")
    assert payment_reference in office.inner_text("main")
    assert_accessible(office)
    office.click(f"text={payment_reference}")
    office.wait_for_url(re.compile(r".*/backoffice/payments/[0-9a-f-]{36}/$"))
    assert_accessible(office)
    assert "1.2.2.0.432100" in office.inner_text("main")
    with schema_context(fishing_form_with_fee.schema_name):
        payment = Payment.objects.get(reference=payment_reference)
        assert payment.status == "paid" and payment.submission.reference == reference
        assert HandOver.objects.get(submission=payment.submission).handed_over_at is not None
