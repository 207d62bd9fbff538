"""Keyboard defects of the audit (issue 12) in a real browser: Enter in a repeating group's text
field continues (it used to press "Remove"), focus lands on a new entry, and the error summary
takes focus on every failed submit, also after following one of its links."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tests.helpers.forms import delete_forms_data, publish_form
from tests.platform.portal.test_audit_defects import DOGS

pytestmark = pytest.mark.browser


@pytest.fixture
def dogs(live_db):
    from portalwerk.platform.accounts.models import Role, User
    from portalwerk.tenants.models import Tenant

    tenant = Tenant.objects.get(slug="alpha")
    with schema_context(tenant.schema_name):
        clerk = User.objects.create_user(
            "repeat-clerk@alpha.example", "Test-Passwort-2026!", role=Role.CLERK_PROCESSOR
        )
        publish_form(clerk, "dogs", {"de": "Hunde", "en": "Dogs"}, DOGS)
    yield
    with schema_context(tenant.schema_name):
        delete_forms_data()
        User.objects.filter(email="repeat-clerk@alpha.example").delete()


def _focused(page, selector: str) -> bool:
    return page.evaluate(
        f"document.activeElement && document.activeElement.closest({selector!r}) !== null"
    )


def test_enter_in_a_repeated_entry_continues_and_never_removes(live_url, dogs, new_page):
    page = new_page(locale="de-DE")
    page.goto(f"{live_url}/forms/dogs/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    # when the citizen adds an entry, the focus goes to it
    with page.expect_navigation():
        page.get_by_role("button", name="Hinzufügen – Hund").click()
    assert _focused(page, "#f-dogs-0")
    with page.expect_navigation():
        page.get_by_role("button", name="Weiteren Eintrag hinzufügen – Hund").click()
    assert _focused(page, "#f-dogs-1")
    page.fill("#f-dogs-0-name", "Bello")
    page.fill("#f-dogs-1-name", "Rex")
    # when they press Enter in the first entry's text field
    with page.expect_navigation():
        page.press("#f-dogs-0-name", "Enter")
    # then the step is sent (the next step shows) and both dogs are kept
    assert page.url.endswith("/person/"), page.url
    with page.expect_navigation():
        page.get_by_role("link", name="Zurück").click()
    assert page.input_value("#f-dogs-0-name") == "Bello"
    assert page.input_value("#f-dogs-1-name") == "Rex"


def test_the_error_summary_takes_focus_after_following_its_link(live_url, dogs, new_page):
    page = new_page(locale="de-DE")
    page.goto(f"{live_url}/forms/dogs/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    with page.expect_navigation():
        page.locator("main form button[value=continue]").last.click()
    assert _focused(page, ".error-summary")
    assert page.title().startswith("Fehler: ")
    # following the summary's link puts the field's id into the address
    page.locator(".error-summary a").first.click()
    assert "#" in page.url
    # when the step is sent again with the error, the summary has the focus again
    with page.expect_navigation():
        page.locator("main form button[value=continue]").last.click()
    assert _focused(page, ".error-summary"), page.evaluate("document.activeElement.outerHTML")
    outline = page.evaluate(
        "getComputedStyle(document.querySelector('.error-summary')).outlineWidth"
    )
    assert outline == "3px"
