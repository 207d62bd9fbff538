"""The operator console by keyboard, in German and English, at 1280 and 320 px: the tenant
list filtered by typing a search, a filter value refused at its field, a tenant's page, its
Terraform plan (here without Keycloak settings: Terraform's line, not a server error) and the
upgrades page. Every page is axe-clean, Nu-clean and reflows at 320 px."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.browser.keyboard import press_button, type_into
from tests.browser.test_remaining_pages_browser import DESKTOP, LOCALES, NARROW, PASSWORD
from tests.browser.test_remaining_pages_browser import sign_in as sign_in_page
from tests.browser.test_workspace_pages_browser import Checked, tab_to_link
from tests.helpers.vnu import check_files

pytestmark = pytest.mark.browser

OPERATOR = "console-operator@platform.example"
TEXT = {
    "de": {
        "show": "Anzeigen",
        "plan": "Plan zeigen und Abweichungen prüfen",
        "no_tf": "Setzen Sie zuerst",
        "onboard": "Mandanten aufnehmen",
    },
    "en": {
        "show": "Show",
        "plan": "Show the plan and check for drift",
        "no_tf": "Set",
        "onboard": "Onboard the tenant",
    },
}


@pytest.fixture
def operator_account(live_db, settings):
    from portalwerk.platform.accounts.models import Role, User

    settings.PORTALWERK_TF_KEYCLOAK_URL = ""  # provisioning not configured on this server
    connection.set_schema_to_public()
    User.objects.create_user(OPERATOR, PASSWORD, role=Role.OPERATOR)
    yield OPERATOR
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        # not through the ORM: its cascade would look for the tenant tables that name users
        cursor.execute("DELETE FROM accounts_user WHERE email = %s", [OPERATOR])


def _walk(walker: Checked, base: str, words: dict) -> None:
    page = walker.page
    page.context.clear_cookies()
    sign_in_page(page, base, OPERATOR, PASSWORD)
    page.goto(f"{base}/")
    tab_to_link(page, "/console/")  # where operators land links to the console
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Stadt Alpha" in page.inner_text("main table")
    walker.here()
    # a search typed into the filter
    type_into(page, "id_q", "beta")
    press_button(page, words["show"])
    assert "Gemeinde Beta" in page.inner_text("main table")
    assert "Stadt Alpha" not in page.inner_text("main table")
    walker.here()
    # a status that does not exist: the error summary, linked to its field
    assert page.goto(f"{base}/console/?status=gone").status == 400
    assert page.locator("#id_status_error").count() == 1
    walker.here()
    # a tenant's page, opened by keyboard from the list
    page.goto(f"{base}/console/")
    tab_to_link(page, "/console/tenants/alpha/")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    walker.here()
    # its plan: Terraform cannot run without the Keycloak settings, and says so in one line
    press_button(page, words["plan"])
    assert words["no_tf"] + " PORTALWERK_TF_KEYCLOAK_URL" in page.inner_text("main")
    walker.here()
    page.goto(f"{base}/console/upgrades/")
    walker.here()
    # the new tenant's page, sent empty: every missing field said at its place
    page.goto(f"{base}/console/new/")
    walker.here()
    press_button(page, words["onboard"])
    assert page.locator("#id_name_error").count() == 1
    walker.here()


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_console_by_keyboard_is_accessible_and_valid_at_1280_and_320_px(
    portal_server, operator_account, new_page, tmp_path, assert_accessible, language
):
    base = portal_server.url("localhost", "")
    files, wide = [], {}
    for viewport in (DESKTOP, NARROW):
        page = new_page(locale=LOCALES[language], viewport=viewport)
        folder = tmp_path / f"{viewport['width']}"
        folder.mkdir()
        walker = Checked(page, folder, language, assert_accessible)
        _walk(walker, base, TEXT[language])
        files += walker.files
        wide.update(walker.wide)
    assert not wide, "wider than the viewport:\n" + "\n".join(f"{k}: {v}" for k, v in wide.items())
    errors = check_files(files)
    assert not errors, "Nu HTML checker:\n" + "\n".join(errors)
