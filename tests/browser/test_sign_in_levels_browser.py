"""The pages of forms that need a sign-in of a level of assurance (issue 14), in German and
English: the start page that says what is needed, the page that refuses a sign-in below it and
offers a stronger one, and the clerk's page of a submission made with a business account (how
it was made, the verified answers). Each is axe-clean and valid HTML for the Nu HTML Checker;
the citizen's pages reflow at 320 px.

The session's sign-in is put into the browser's real session, as an identity provider writes it
at sign-in (`assurance.remember`)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.identity import assurance
from tests.browser.test_html_and_reflow_browser import OVERFLOW
from tests.helpers.forms import delete_forms_data, publish_form
from tests.helpers.signed_in import BUSINESS, LOW, definition
from tests.helpers.vnu import check_files

pytestmark = pytest.mark.browser

PASSWORD = "Test-Passwort-2026!"
CITIZEN = "levels-citizen@alpha.example"
CLERK = "levels-clerk@alpha.example"
LOCALES = {"de": "de-DE", "en": "en-GB"}
NARROW = {"width": 320, "height": 800}
NEEDS = {
    "de": "Für diesen Antrag brauchen Sie ein Servicekonto mit dem Vertrauensniveau substanziell.",
    "en": "For this application you need a service account with the level of assurance "
    "substantial.",
}
LOW_NOW = {
    "de": "Sie sind mit dem Vertrauensniveau niedrig angemeldet.",
    "en": "You are signed in with the level of assurance low.",
}


@pytest.fixture
def made(live_db):
    from portalwerk.platform.accounts.models import Role, User
    from portalwerk.platform.authz.actors import from_user
    from portalwerk.platform.forms import services
    from portalwerk.tenants.models import Tenant

    tenant = Tenant.objects.get(slug="alpha")
    with schema_context(tenant.schema_name):
        citizen = User.objects.create_user(
            CITIZEN, PASSWORD, role=Role.CITIZEN, email_verified_at=dt.datetime.now(dt.UTC)
        )
        clerk = User.objects.create_user(CLERK, PASSWORD, role=Role.CLERK_PROCESSOR)
        title = {"de": "Meldebescheinigung", "en": "Certificate of residence"}
        publish_form(clerk, "residence", title, definition(level="substantial"))
        trade = publish_form(
            clerk, "trade", {"de": "Gewerbe", "en": "Trade"}, definition(account="business")
        )
        actor = from_user(citizen)
        draft = services.start_draft(actor=actor, form=trade, signed_in_with=BUSINESS)
        person = {**draft.answers, "born": "12.08.1984"}
        person["home"] = {"street": "Am Markt", "house_number": "1", "postcode": "12345",
                          "city": "Musterstadt"}  # fmt: skip
        for step, raw in (("person", person), ("confirm", {"truth": True})):
            draft = services.save_step(
                actor=actor, draft=draft, step_key=step, raw=raw, signed_in_with=BUSINESS
            )
        submission = services.submit_draft(actor=actor, draft=draft, signed_in_with=BUSINESS)
        assert submission.identity["verified"] == ["first_name", "last_name"]
    yield tenant, submission.pk
    with schema_context(tenant.schema_name):
        from portalwerk.platform.audit.models import Entry as AuditEntry

        delete_forms_data()
        AuditEntry.objects.all().delete()
        User.objects.filter(email__in=[CITIZEN, CLERK]).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_jobs WHERE args->>'schema_name' = %s", [tenant.schema_name]
        )
    connection.set_schema_to_public()


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/sign-in/")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")


def _remember(page, tenant, signed_in_with) -> None:
    """What the identity provider writes at sign-in, into this browser's session."""
    [cookie] = [c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME]
    with schema_context(tenant.schema_name):
        session = SessionStore(session_key=cookie["value"])
        assurance.remember(session, signed_in_with)
        session.save()


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_sign_in_pages_are_accessible_valid_and_reflow(
    live_url, made, new_page, assert_accessible, tmp_path, language
):
    tenant, submission_id = made
    files, wide = [], {}

    def record(page, reflow: bool) -> None:
        lang = page.evaluate("document.documentElement.lang")
        assert lang.startswith(language), f"{page.url} is in {lang!r}"
        assert_accessible(page)
        path = tmp_path / f"{language}-{len(files):02d}.html"
        path.write_text(page.content(), encoding="utf-8")
        files.append(path)
        if reflow:
            for viewport in ({"width": 1280, "height": 900}, NARROW):
                page.set_viewport_size(viewport)
                found = page.evaluate(OVERFLOW)
                if found:
                    wide[page.url] = found
            page.set_viewport_size({"width": 1280, "height": 900})

    citizen = new_page(locale=LOCALES[language])
    # the start page says what is needed
    assert citizen.goto(f"{live_url}/forms/residence/").status == 200
    assert NEEDS[language] in citizen.inner_text("main")
    record(citizen, reflow=True)
    # signed in, but with a state account of level "low": starting is refused, in words
    _sign_in(citizen, live_url, CITIZEN)
    _remember(citizen, tenant, LOW)
    citizen.goto(f"{live_url}/forms/residence/")
    with citizen.expect_navigation():
        citizen.click("main button[type=submit]")
    text = citizen.inner_text("main")
    assert NEEDS[language] in text and LOW_NOW[language] in text
    assert citizen.locator("main a[href*='level=substantial']").count() >= 1
    record(citizen, reflow=True)
    # the clerk's page of a submission made with a business account
    clerk = new_page(locale=LOCALES[language])
    _sign_in(clerk, live_url, CLERK)
    assert clerk.goto(f"{live_url}/backoffice/inbox/{submission_id}/").status == 200
    text = clerk.inner_text("main")
    assert "Muster Bau GmbH (DE123456789)" in text
    assert (
        "bestätigt (Servicekonto)" if language == "de" else "verified (service account)"
    ) in text
    record(clerk, reflow=False)
    assert wide == {}, wide
    assert check_files(files) == []
