"""A citizen applies for a fishing licence with a fee, with the keyboard only, in a real browser
(Debian's chromium driven by Playwright), pays through the demo provider; axe-core finds nothing
on any page; the clerk then finds the paid application in the inbox and its payment.

The live server is started here without pytest-django's `live_server`, whose teardown flushes
every table (and with them the session-wide test tenants); this test cleans up what it made."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from billing_helpers import FEE_DEFINITION
from components import unavailable
from django.db import connection
from django_tenants.utils import schema_context

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "Test-Passwort-2026!"
CLERK = "browser-payments@alpha.example"


def require_browser() -> None:
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        unavailable("the browser test", f"playwright / axe-playwright-python missing: {exc}")
    if not (shutil.which("chromium") or Path(CHROMIUM).exists()):
        unavailable("chromium", "Debian's chromium is not installed (apt-get install chromium)")


@pytest.fixture
def live_url(live_db, settings, tmp_path):
    """A live server on a free port, serving the committed database without flushing it."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    settings.MEDIA_ROOT = tmp_path / "media"
    thread = LiveServerThread("127.0.0.1", StaticFilesHandler, connections_override=None, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://alpha.localhost:{thread.port}"
    thread.terminate()


@pytest.fixture
def fishing_form_with_fee(live_db):
    from portalwerk.billing.payments.models import (
        AuditEntry,
        FeeAccount,
        HandOver,
        Payment,
        PaymentReferenceSequence,
        ProviderEventRecord,
        StatusChange,
    )
    from portalwerk.billing.providers.contrib.demo.models import DemoCheckout
    from portalwerk.platform.accounts.models import Role, User
    from portalwerk.platform.casework.models import AuditEntry as CaseworkAudit
    from portalwerk.platform.forms import services
    from portalwerk.platform.forms.models import (
        Draft,
        Form,
        FormVersion,
        ReferenceSequence,
        Submission,
    )
    from portalwerk.tenants.models import Tenant

    tenant = Tenant.objects.get(slug="alpha")
    with schema_context(tenant.schema_name):
        clerk = User.objects.create_user(CLERK, PASSWORD, role=Role.CLERK_PROCESSOR)
        form = services.create_form(
            actor=clerk,
            slug="fishing-licence",
            title={"de": "Fischereischein", "en": "Fishing licence"},
            definition=FEE_DEFINITION,
            service_key="fischereischein",
        )
        services.publish_version(actor=clerk, version=form.versions.get())
        FeeAccount.objects.create(
            form=form, budget_line="1.2.2.0.432100", booking_text="Fischereischein {reference}"
        )
    yield tenant
    with schema_context(tenant.schema_name):
        for model in (
            AuditEntry,
            CaseworkAudit,
            ProviderEventRecord,
            StatusChange,
            HandOver,
            Payment,
            DemoCheckout,
            Submission,
            Draft,
            FeeAccount,
            FormVersion,
            Form,
            ReferenceSequence,
            PaymentReferenceSequence,
        ):
            model.objects.all().delete()
        User.objects.filter(email=CLERK).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_jobs WHERE args->>'schema_name' = %s", [tenant.schema_name]
        )
    connection.set_schema_to_public()


def tab_to(page, element_id: str, limit: int = 60) -> None:
    """Press Tab until the element has the focus: proves it is reachable by keyboard."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key on {page.url}")


def press(page, button_text: str | None = None, element_id: str | None = None) -> None:
    """Tab to a button (by its id, or by its text) and press Enter; wait for the next page."""
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "document.activeElement && document.activeElement.tagName === 'BUTTON' ? "
            "[document.activeElement.id, document.activeElement.innerText.trim()] : null"
        )
        if focused and (focused[0] == element_id if element_id else focused[1] == button_text):
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
    raise AssertionError(f"button {element_id or button_text!r} not reachable by Tab on {page.url}")


def assert_accessible(page, axe) -> None:
    results = axe.run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def test_fishing_licence_fee_paid_with_the_demo_provider_by_keyboard(
    live_url, fishing_form_with_fee
):
    require_browser()
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    from portalwerk.billing.payments.models import HandOver, Payment

    axe = Axe()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--host-resolver-rules=MAP *.localhost 127.0.0.1",
            ],
        )
        page = browser.new_context(locale="en-GB").new_page()
        page.goto(f"{live_url}/forms/fishing-licence/")
        assert_accessible(page, axe)
        press(page, "Start now")
        tab_to(page, "f-first_name")
        page.keyboard.type("Erika")
        tab_to(page, "f-last_name")
        page.keyboard.type("Muster")
        tab_to(page, "f-email")
        page.keyboard.type("erika@example.org")
        press(page, "Continue")
        assert_accessible(page, axe)
        tab_to(page, "f-duration-0")
        page.keyboard.press("Space")
        press(page, "Continue")
        # check your answers shows the fee
        assert_accessible(page, axe)
        assert "15,00 €" in page.inner_text("main")
        press(page, "Submit application")
        # the payment step
        assert re.search(r"/pay/ALP-\d{4}-\d{6}/$", page.url)
        reference = page.url.rstrip("/").rsplit("/", 1)[-1]
        assert_accessible(page, axe)
        assert "15,00 €" in page.inner_text("main")
        press(page, element_id="pay-now")
        # the demo provider's page says clearly that it is a demo
        assert "/pay/demo/" in page.url
        assert_accessible(page, axe)
        main = page.inner_text("main")
        assert "Demo" in main and "No money is moved" in main
        press(page, element_id="demo-pay")
        # back on the portal: paid
        assert "result=success" in page.url
        assert_accessible(page, axe)
        assert page.locator("h1").inner_text() == "Fee paid"
        payment_reference = page.inner_text(".reference")
        # the clerk finds the application (handed over after payment) and its payment
        office = browser.new_context(locale="en-GB").new_page()
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
        assert_accessible(office, axe)
        office.click(f"text={payment_reference}")
        office.wait_for_url(re.compile(r".*/backoffice/payments/[0-9a-f-]{36}/$"))
        assert_accessible(office, axe)
        assert "1.2.2.0.432100" in office.inner_text("main")
        browser.close()
    with schema_context(fishing_form_with_fee.schema_name):
        payment = Payment.objects.get(reference=payment_reference)
        assert payment.status == "paid" and payment.submission.reference == reference
        assert HandOver.objects.get(submission=payment.submission).handed_over_at is not None
