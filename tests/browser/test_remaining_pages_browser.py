"""axe-core finds nothing on the pages the other browser tests do not reach, in German and in
English, at 1280 px (and 320 px for citizen pages): the account pages, the platform's own page,
the unknown-host and suspended-tenant pages, a citizen's applications (also opened by access
link, the page for a new link, adding applications to an account), and the clerk's custom
back-office pages (inbox, appointments of the day, payments, the audit log). The sign-in page
works with the keyboard alone.

The server, the browser and axe-core come from the browser conftest; the server does not flush
the database, and this module removes what it committed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import anonymous, from_user, system
from tests.browser.keyboard import tab_to
from tests.helpers.appointments import NOW, at, make_office
from tests.helpers.forms import (
    FEE_DEFINITION,
    FISHING_LICENCE,
    PERSON_STEP,
    make_submission,
    publish_form,
)
from tests.helpers.payments import delete_payments_data

pytestmark = pytest.mark.browser

PASSWORD = "Test-Passwort-2026!"
CITIZEN = "browser-citizen@alpha.example"
CLERK = "browser-clerk@alpha.example"
RESETTER = "browser-reset@alpha.example"
ADMIN = "browser-admin@alpha.example"
CLAIMER = "browser-claimer@alpha.example"
SUSPENDER = "browser-tests"
LOCALES = {"de": "de-DE", "en": "en-GB"}
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 800}
CONTACT = {"steps": [PERSON_STEP]}
CONTACT_TITLE = {"de": "Kontaktanfrage", "en": "Contact request"}


@dataclass
class Data:
    schema: str
    reference: str
    inbox_id: int
    payment_id: str
    office_id: int
    valid_reset: str
    expired_reset: str
    expired_verify: str
    # an application made without an account (with the citizen's address, so it can be claimed)
    link_path: str


@pytest.fixture
def data(live_db):
    from portalwerk.billing.payments.checkout import start_payment
    from portalwerk.billing.payments.models import FeeAccount
    from portalwerk.platform.accounts import tokens
    from portalwerk.platform.accounts.models import Role, User
    from portalwerk.platform.appointments.services.clerk import book_on_behalf
    from portalwerk.platform.casework.services import reply_to_office
    from portalwerk.platform.forms import links
    from portalwerk.tenants.models import Tenant

    tenant = Tenant.objects.get(slug="alpha")
    with schema_context(tenant.schema_name):
        citizen = User.objects.create_user(
            CITIZEN, PASSWORD, role=Role.CITIZEN, full_name="Erika Muster"
        )
        clerk = User.objects.create_user(
            CLERK, PASSWORD, role=Role.CLERK_PROCESSOR, full_name="Clara Clerk"
        )
        resetter = User.objects.create_user(RESETTER, PASSWORD, role=Role.CITIZEN)
        User.objects.create_user(ADMIN, PASSWORD, role=Role.TENANT_ADMIN, full_name="Ada Admin")
        User.objects.create_user(
            CLAIMER, PASSWORD, role=Role.CITIZEN, email_verified_at=dt.datetime.now(dt.UTC)
        )
        fee_form = publish_form(
            clerk, "fishing-licence", FISHING_LICENCE, FEE_DEFINITION, service_key="fischereischein"
        )
        FeeAccount.objects.create(
            form=fee_form, budget_line="1.2.2.0.432100", booking_text="Fischereischein {reference}"
        )
        paid = make_submission(fee_form, citizen)
        payment = start_payment(actor=anonymous(), submission=paid, return_url="http://x/")
        contact = publish_form(clerk, "contact", CONTACT_TITLE, CONTACT)
        answers = {
            "person": {"first_name": "Erika", "last_name": "Muster", "email": "e@example.org"}
        }
        handed = make_submission(contact, citizen, answers)
        # a reply the office has not read: the inbox marks it
        reply_to_office(actor=from_user(citizen), submission=handed, body="Eine Rückfrage.")
        without_account = make_submission(
            contact,
            anonymous(),
            {"person": {"first_name": "Erika", "last_name": "Muster", "email": CLAIMER}},
        )
        link_path = links.issue(without_account)
        office = make_office(name="Bürgerbüro Browser", lead_time_minutes=0)
        book_on_behalf(
            actor=from_user(clerk),
            office=office.office,
            service_ids=[office.id_card.pk],
            starts_at=at(NOW.date(), "09:00"),
            name="Kim Counter",
            now=NOW,
        )
        long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
        made = Data(
            schema=tenant.schema_name,
            reference=paid.reference,
            inbox_id=handed.pk,
            payment_id=str(payment.pk),
            office_id=office.office.pk,
            valid_reset=tokens.make_token(resetter, tokens.Purpose.RESET_PASSWORD),
            expired_reset=tokens.make_token(resetter, tokens.Purpose.RESET_PASSWORD, now=long_ago),
            expired_verify=tokens.make_token(resetter, tokens.Purpose.VERIFY_EMAIL, now=long_ago),
            link_path=link_path,
        )
    yield made
    _clean_up(tenant, office)


def _clean_up(tenant, office) -> None:
    from portalwerk.platform.accounts.models import SignInFailure, User
    from portalwerk.platform.appointments.models import Appointment, BookableService
    from portalwerk.platform.audit.models import Entry as AuditEntry
    from portalwerk.platform.catalog.models import Office

    with schema_context(tenant.schema_name):
        delete_payments_data()
        Appointment.objects.all().delete()
        AuditEntry.objects.all().delete()
        Office.objects.filter(pk=office.office.pk).delete()
        BookableService.objects.all().delete()
        SignInFailure.objects.all().delete()
        User.objects.filter(email__in=[CITIZEN, CLERK, RESETTER, ADMIN, CLAIMER]).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_jobs WHERE args->>'schema_name' = %s", [tenant.schema_name]
        )
    connection.set_schema_to_public()


class Visitor:
    """A browser page in one language that checks every page it visits with axe-core."""

    def __init__(self, new_page, assert_accessible, language: str, viewport: dict):
        self.page = new_page(locale=LOCALES[language], viewport=viewport)
        self.language = language
        self.assert_accessible = assert_accessible
        self.checked: list[str] = []

    def check(self) -> None:
        lang = self.page.evaluate("document.documentElement.lang")
        assert lang.startswith(self.language), f"{self.page.url} is in {lang!r}"
        self.assert_accessible(self.page)
        self.checked.append(self.page.url)

    def visit(self, url: str, status: int = 200) -> None:
        response = self.page.goto(url)
        assert response.status == status, f"{url}: {response.status}"
        self.check()

    def sign_in(self, base: str, email: str, password: str = PASSWORD) -> None:
        sign_in(self.page, base, email, password)


def sign_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    """Sign in through the sign-in page, as a person would (Enter in the password field)."""
    page.goto(f"{base}/accounts/sign-in/")
    page.fill("#id_email", email)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.press("#id_password", "Enter")


def widths(citizen: bool = True):
    return [DESKTOP, NARROW] if citizen else [DESKTOP]


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_account_pages_have_no_axe_violations(
    live_url, data, new_page, assert_accessible, language
):
    for viewport in widths():
        visitor = Visitor(new_page, assert_accessible, language, viewport)
        page = visitor.page
        visitor.visit(f"{live_url}/accounts/sign-in/")
        # a wrong password: the error summary
        page.fill("#id_email", CITIZEN)
        page.fill("#id_password", "not the password")
        with page.expect_navigation():
            page.press("#id_password", "Enter")
        assert page.locator(".error-summary").count() == 1
        visitor.check()
        visitor.visit(f"{live_url}/accounts/sign-up/")
        # sent empty: the error summary
        with page.expect_navigation():
            page.locator("main form button[type=submit]").last.click()
        assert page.locator(".error-summary").count() == 1
        visitor.check()
        visitor.visit(f"{live_url}/accounts/sign-up/done/")
        visitor.visit(f"{live_url}/accounts/password-reset/")
        visitor.visit(f"{live_url}/accounts/password-reset/sent/")
        visitor.visit(f"{live_url}/accounts/password-reset/{data.valid_reset}/")
        visitor.visit(f"{live_url}/accounts/password-reset/{data.expired_reset}/", 400)
        visitor.visit(f"{live_url}/accounts/verify-email/{data.expired_verify}/", 400)
        assert len(visitor.checked) == 10


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_platform_page_and_the_host_error_pages_have_no_axe_violations(
    portal_server, live_db, new_page, assert_accessible, language
):
    from portalwerk.platform.audit.models import Entry as AuditEntry
    from portalwerk.tenants import services

    for viewport in widths():
        visitor = Visitor(new_page, assert_accessible, language, viewport)
        visitor.visit(portal_server.url("localhost", "/"))
        visitor.visit(portal_server.url("nowhere.localhost", "/"), 404)
    services.suspend_tenant(actor=system(SUSPENDER), slug="beta")
    try:
        for viewport in widths():
            visitor = Visitor(new_page, assert_accessible, language, viewport)
            visitor.visit(portal_server.url("beta.localhost", "/"), 503)
    finally:
        services.resume_tenant(actor=system(SUSPENDER), slug="beta")
        AuditEntry.objects.filter(
            actor_kind="system", object_type="tenant", object_id="beta", detail__job=SUSPENDER
        ).delete()
    # the notice of a portal being offboarded (status set directly: offboarding's other steps
    # export and delete, which is not what this page test is about)
    from portalwerk.tenants import routing
    from portalwerk.tenants.models import Tenant

    Tenant.objects.filter(slug="beta").update(status="offboarding")
    routing.forget("beta.localhost")
    try:
        for viewport in widths():
            visitor = Visitor(new_page, assert_accessible, language, viewport)
            visitor.visit(portal_server.url("beta.localhost", "/"), 410)
    finally:
        Tenant.objects.filter(slug="beta").update(status="active")
        routing.forget("beta.localhost")


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_citizens_applications_have_no_axe_violations(
    live_url, data, new_page, assert_accessible, language
):
    for viewport in widths():
        visitor = Visitor(new_page, assert_accessible, language, viewport)
        visitor.sign_in(live_url, CITIZEN)
        visitor.visit(f"{live_url}/accounts/verify-email/")
        visitor.visit(f"{live_url}/my/applications/")
        assert data.reference in visitor.page.inner_text("main")
        visitor.visit(f"{live_url}/my/applications/{data.reference}/")
        # my account, and its address with a postcode it refuses
        visitor.visit(f"{live_url}/accounts/profile/")
        visitor.page.fill("#id_postcode", "123")
        with visitor.page.expect_navigation():
            visitor.page.press("#id_postcode", "Enter")
        assert visitor.page.locator(".error-summary").count() == 1
        visitor.check()
        # applications made without an account with this address, to add to the account
        claimer = Visitor(new_page, assert_accessible, language, viewport)
        claimer.sign_in(live_url, CLAIMER)
        claimer.visit(f"{live_url}/my/applications/")
        claimer.visit(f"{live_url}/my/applications/claim/")
        assert claimer.page.locator("main input[type=checkbox]").count() == 1
        # without an account: the access link opens the application; a page gets a new link
        guest = Visitor(new_page, assert_accessible, language, viewport)
        guest.visit(live_url + data.link_path)
        assert "/link/" not in guest.page.url
        assert guest.page.locator("#f-body").count() == 1
        guest.visit(f"{live_url}/my/applications/new-link/?problem=expired")
        guest.visit(f"{live_url}/my/applications/new-link/?problem=invalid")
        with guest.page.expect_navigation():
            guest.page.locator("main form button[type=submit]").click()
        assert guest.page.locator(".error-summary").count() == 1
        guest.check()
        guest.visit(f"{live_url}/my/applications/new-link/?sent=1")


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_clerks_back_office_pages_have_no_axe_violations(
    live_url, data, new_page, assert_accessible, language
):
    from portalwerk.platform.appointments.models import BookableService

    with schema_context(data.schema):
        service = BookableService.objects.get(name="ID card")
    visitor = Visitor(new_page, assert_accessible, language, DESKTOP)
    visitor.sign_in(live_url, CLERK)
    visitor.visit(f"{live_url}/backoffice/inbox/")
    visitor.visit(f"{live_url}/backoffice/inbox/{data.inbox_id}/")
    day = f"{live_url}/backoffice/appointments/?office={data.office_id}&date={NOW.date()}"
    visitor.visit(day)
    assert "Kim Counter" in visitor.page.inner_text("main")
    # closing the day first says what it will do
    with visitor.page.expect_navigation():
        visitor.page.locator('form[action*="/close/"] button[type=submit]').click()
    visitor.check()
    told = {"de": "1 Termin wird abgesagt.", "en": "1 appointment will be cancelled."}
    assert told[language] in visitor.page.inner_text("main, #content")
    # exporting with nothing selected is a message on the inbox
    visitor.visit(f"{live_url}/backoffice/inbox/")
    with visitor.page.expect_navigation():
        visitor.page.locator("button[name=format][value=csv]").click()
    visitor.check()
    assert visitor.page.locator(".messages").count() == 1
    # with a service chosen: the free times and the form to book on a citizen's behalf
    visitor.visit(f"{day}&service={service.pk}")
    assert visitor.page.locator("#id_name").count() == 1
    visitor.visit(f"{live_url}/backoffice/payments/")
    assert data.reference in visitor.page.inner_text("main")
    visitor.visit(f"{live_url}/backoffice/payments/{data.payment_id}/")
    # the merchant account is the tenant admin's
    admin = Visitor(new_page, assert_accessible, language, DESKTOP)
    admin.sign_in(live_url, ADMIN)
    admin.visit(f"{live_url}/backoffice/payments/account/")
    # the audit log shows what the clerk did above
    admin.visit(f"{live_url}/backoffice/audit/")
    assert CLERK in admin.page.inner_text("main")
    admin.visit(f"{live_url}/backoffice/audit/?object_type=submission&object_id={data.reference}")
    narrow = Visitor(new_page, assert_accessible, language, NARROW)
    narrow.sign_in(live_url, ADMIN)
    narrow.visit(f"{live_url}/backoffice/audit/")
    assert narrow.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("language", ["de", "en"])
def test_signing_in_works_with_the_keyboard_and_focuses_the_error_summary(
    live_url, data, new_page, assert_accessible, language
):
    visitor = Visitor(new_page, assert_accessible, language, DESKTOP)
    page = visitor.page
    page.goto(f"{live_url}/accounts/sign-in/?next=/my/applications/")
    tab_to(page, "id_email")
    page.keyboard.type(CITIZEN)
    tab_to(page, "id_password")
    page.keyboard.type("wrong password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # autofocus moves the focus once the page has loaded: wait for it, as a screen reader would
    focused = page.wait_for_function(
        "document.activeElement && document.activeElement.closest('.error-summary') !== null",
        timeout=5000,
    )
    assert focused, "the error summary does not have the focus after a failed sign-in"
    visitor.check()
    # the summary links to the field; the field keeps the address typed
    tab_to(page, "id_password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/my/applications/$"))
    visitor.check()
