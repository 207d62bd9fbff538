"""The tenant admin's export page, in German and English, wide and at 320 px: axe-clean, no
horizontal scroll; the download starts from the keyboard and is a ZIP with a manifest."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User
from tests.browser.test_remaining_pages_browser import DESKTOP, NARROW, PASSWORD, Visitor

pytestmark = pytest.mark.browser

ADMIN = "browser-export-admin@alpha.example"


@pytest.fixture
def admin(live_url):
    with schema_context("t_alpha"):
        User.objects.create_user(ADMIN, PASSWORD, role=Role.TENANT_ADMIN, full_name="Eva Export")
    yield ADMIN
    with schema_context("t_alpha"):
        from portalwerk.platform.audit.models import Entry

        user = User.objects.get(email=ADMIN)
        Entry.objects.filter(actor_user_id=user.pk).delete()
        user.delete()


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_export_page_is_accessible_and_reflows(
    live_url, admin, new_page, assert_accessible, language
):
    for viewport in (DESKTOP, NARROW):
        visitor = Visitor(new_page, assert_accessible, language, viewport)
        visitor.sign_in(live_url, admin)
        visitor.visit(f"{live_url}/backoffice/data-export/")
        heading = visitor.page.inner_text("h1")
        assert heading == {"de": "Alle Daten exportieren", "en": "Export all data"}[language]
        assert visitor.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_download_starts_from_the_keyboard(live_url, admin, new_page, assert_accessible):
    visitor = Visitor(new_page, assert_accessible, "en", DESKTOP)
    visitor.sign_in(live_url, admin)
    visitor.visit(f"{live_url}/backoffice/data-export/")
    page = visitor.page
    page.focus("main form button[type=submit]")
    with page.expect_download() as started:
        page.keyboard.press("Enter")
    download = started.value
    assert download.suggested_filename.startswith("alpha-")
    with zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read())) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["tenant"]["slug"] == "alpha" and manifest["passwords"] is False
