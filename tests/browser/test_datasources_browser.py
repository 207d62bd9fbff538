"""The data source pages of the back office and a form step whose options come from a source that
is down, in German and English, at desktop width and at 320 px, checked with axe-core; the
source is tested and saved with the keyboard."""

from __future__ import annotations

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from tests.browser.test_remaining_pages_browser import DESKTOP, NARROW, Visitor
from tests.helpers.forms import delete_forms_data, publish_form
from tests.helpers.sources import JsonServer, Route, make_source

pytestmark = pytest.mark.browser

ADMIN = "browser-sources-admin@alpha.example"
PASSWORD = "Test-Passwort-2026!"
WATERS = {"waters": [{"id": "aller", "name": "Aller"}, {"id": "leine", "name": "Leine"}]}
MAPPING = {"list_path": "$.waters", "value_key": "id", "label_key": "name"}
DEFINITION = {
    "steps": [
        {
            "key": "licence",
            "title": {"de": "Erlaubnis", "en": "Licence"},
            "fields": [
                {
                    "key": "water",
                    "type": "choice",
                    "label": {"de": "Gewässer", "en": "Water"},
                    "required": True,
                    "options_from": "waters",
                }
            ],
        }
    ]
}


@pytest.fixture
def sources(live_db):
    from portalwerk.platform.accounts.models import Role, User
    from portalwerk.platform.audit.models import Entry
    from portalwerk.platform.datasources.models import DataSource

    with JsonServer() as server, schema_context("t_alpha"):
        server.routes["/waters"] = Route(WATERS)
        admin = User.objects.create_user(ADMIN, PASSWORD, role=Role.TENANT_ADMIN)
        good = make_source(None, admin, url=server.url("/waters"), **MAPPING)
        down = make_source(
            None,
            admin,
            key="down",
            url="http://127.0.0.1:9/",
            fallback=[{"value": "other", "label": "Ein anderes Gewässer"}],
            **MAPPING,
        )
        definition = {"steps": [dict(DEFINITION["steps"][0])]}
        definition["steps"][0]["fields"] = [
            {**DEFINITION["steps"][0]["fields"][0], "options_from": "down"}
        ]
        publish_form(admin, "angeln-quelle", {"de": "Angeln", "en": "Fishing"}, definition)
        try:
            yield server, good, down
        finally:
            delete_forms_data()
            DataSource.objects.all().delete()
            Entry.objects.all().delete()
            User.objects.filter(email=ADMIN).delete()
    connection.set_schema_to_public()


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_data_source_pages_have_no_axe_violations(
    live_url, sources, new_page, assert_accessible, language
):
    _server, good, _down = sources
    for viewport in (DESKTOP, NARROW):
        admin = Visitor(new_page, assert_accessible, language, viewport)
        admin.sign_in(live_url, ADMIN, PASSWORD)
        admin.visit(f"{live_url}/backoffice/datasources/")
        admin.visit(f"{live_url}/backoffice/datasources/new/soap/")
        # an empty source sent: the error summary
        with admin.page.expect_navigation():
            admin.page.locator("main form button[type=submit]").first.click()
        assert admin.page.locator(".error-summary").count() == 1
        admin.check()
        admin.visit(f"{live_url}/backoffice/datasources/{good.pk}/")
        with admin.page.expect_navigation():
            admin.page.locator("main form button.secondary").click()
        assert "Aller" in admin.page.inner_text(".test-outcome")
        admin.check()
        # the citizen's step with the fallback and its notice
        citizen = Visitor(new_page, assert_accessible, language, viewport)
        citizen.page.goto(f"{live_url}/forms/angeln-quelle/")
        with citizen.page.expect_navigation():
            citizen.page.locator("main form button[type=submit]").first.click()
        assert citizen.page.locator("fieldset .notice").count() == 1
        assert citizen.page.locator("input[type=radio]").count() == 1
        citizen.check()
        width = citizen.page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"]


def test_a_source_is_tested_and_saved_with_the_keyboard(
    live_url, sources, new_page, assert_accessible
):
    from portalwerk.platform.datasources.models import DataSource

    server, good, _down = sources
    admin = Visitor(new_page, assert_accessible, "en", DESKTOP)
    admin.sign_in(live_url, ADMIN, PASSWORD)
    admin.visit(f"{live_url}/backoffice/datasources/{good.pk}/")
    page = admin.page
    page.focus("#id_name")
    page.keyboard.press("Control+A")
    page.keyboard.type("Fishing waters")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "The data source is saved." in page.inner_text("main")
    page.focus("main form button.secondary")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "The source answered with 2 options" in page.inner_text(".test-outcome")
    assert server.hits["/waters"] == 1
    with schema_context("t_alpha"):
        assert DataSource.objects.get(pk=good.pk).name == "Fishing waters"
