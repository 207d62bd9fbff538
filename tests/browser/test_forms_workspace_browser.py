"""The forms in the clerk workspace in a real browser, by keyboard, in German and English at
1280 and 320 px: the forms list, a new form, the preview, the differences before publishing,
import and export, test mode. Every page is axe-clean, valid HTML for the Nu checker, and
reflows at 320 px (the preview's frames and the tables scroll inside their own regions)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from tests.browser.keyboard import press_button, tab_to, type_into
from tests.helpers.forms import DEFINITION, delete_forms_data, publish_form
from tests.helpers.vnu import check_files

pytestmark = pytest.mark.browser

CLERK = "browser-forms-clerk@alpha.example"
PASSWORD = "Test-Passwort-2026!"
LOCALES = {"de": "de-DE", "en": "en-GB"}
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 800}
EXPORT = Path(__file__).parents[1] / "platform/forms/fixtures/form-export-format-1.json"
# Content wider than the viewport, outside the regions that scroll on their own (tables, the
# preview's frames): WCAG 1.4.10 lets those scroll in two dimensions.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  if (document.documentElement.scrollWidth > width)
    wide.push('page ' + document.documentElement.scrollWidth);
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.table-scroll')) continue;
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1)
      wide.push(el.tagName + '.' + el.className + ' ' + Math.round(box.right));
  }
  return wide.slice(0, 8);
}"""


@pytest.fixture
def forms_data(live_db):
    from portalwerk.platform.accounts.models import Role, User
    from portalwerk.platform.audit.models import Entry
    from portalwerk.platform.authz.actors import from_user
    from portalwerk.platform.formlibrary.library import sync_library
    from portalwerk.platform.formlibrary.models import FormTemplate
    from portalwerk.platform.forms import services

    had_library = FormTemplate.objects.exists()
    sync_library()
    with schema_context("t_alpha"):
        clerk = User.objects.create_user(
            CLERK, PASSWORD, role=Role.CLERK_PROCESSOR, full_name="Frieda Formular"
        )
        form = publish_form(
            clerk, "dog-licence", {"de": "Hundeanmeldung", "en": "Dog registration"}, DEFINITION
        )
        draft = services.new_draft_version(actor=from_user(clerk), form=form)
        definition = draft.definition
        definition["steps"][0]["fields"][1]["required"] = False
        definition["steps"][1]["fields"].append(
            {"key": "breed", "type": "text", "label": {"de": "Rasse", "en": "Breed"}}
        )
        services.save_version_definition(
            actor=from_user(clerk), version=draft, definition=definition
        )
        form_id = form.pk
    yield form_id
    with schema_context("t_alpha"):
        delete_forms_data()
        Entry.objects.all().delete()
        User.objects.filter(email=CLERK).delete()
    if not had_library:
        FormTemplate.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs WHERE args->>'schema_name' = 't_alpha'")


class Clerk:
    """A clerk's browser in one language and width; every page it shows is checked with axe,
    kept for the Nu checker and measured for reflow."""

    def __init__(self, new_page, assert_accessible, language, viewport, base, folder):
        self.page = new_page(locale=LOCALES[language], viewport=viewport)
        self.language, self.viewport, self.base, self.folder = language, viewport, base, folder
        self.assert_accessible = assert_accessible
        self.files: list[Path] = []
        self.wide: dict[str, list] = {}

    def check(self) -> None:
        page = self.page
        assert page.evaluate("document.documentElement.lang").startswith(self.language)
        self.assert_accessible(page)
        path = self.folder / f"{self.language}-{self.viewport['width']}-{len(self.files):02d}.html"
        path.write_text(page.content(), encoding="utf-8")
        self.files.append(path)
        wide = page.evaluate(OVERFLOW)
        if wide:
            self.wide[page.url] = wide

    def visit(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response.status == 200, f"{path}: {response.status}"
        self.check()

    def sign_in(self) -> None:
        page = self.page
        page.goto(f"{self.base}/accounts/sign-in/")
        type_into(page, "id_email", CLERK)
        type_into(page, "id_password", PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")


def _follow_link(page, name: str) -> None:
    """Tab to the link with this text and follow it with Enter."""
    for _ in range(120):
        page.keyboard.press("Tab")
        text = page.evaluate(
            "document.activeElement && document.activeElement.tagName === 'A' ? "
            "document.activeElement.innerText.trim() : null"
        )
        if text is not None and text.startswith(name):
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
    raise AssertionError(f"link {name!r} cannot be reached by Tab on {page.url}")


WORDS = {
    "de": {
        "new": "Neues Formular",
        "make": "Formular anlegen",
        "preview": "Vorschau",
        "publish": "Version 2 veröffentlichen",
        "review": "Prüfen und veröffentlichen",
        "import": "Prüfen und importieren",
        "import-now": "Importieren",
        "start-test": "Test beginnen",
        "continue": "Weiter",
        "changed": "Feld „Nachname“: nicht mehr Pflicht.",
        "added": "Feld „Rasse“ zu Schritt „Hund“ hinzugefügt.",
        "export": "Als Datei exportieren",
    },
    "en": {
        "new": "New form",
        "make": "Make the form",
        "preview": "Preview",
        "publish": "Publish version 2",
        "review": "Review and publish",
        "import": "Check and import",
        "import-now": "Import",
        "start-test": "Start the test",
        "continue": "Continue",
        "changed": "Field “Last name”: no longer required.",
        "added": "Field “Breed” added to step “Dog”.",
        "export": "Export as file",
    },
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_clerk_works_with_forms_by_keyboard(
    live_url, forms_data, new_page, assert_accessible, tmp_path, language
):
    form_id = forms_data
    words = WORDS[language]
    files: list[Path] = []
    wide: dict[str, list] = {}
    for viewport in (DESKTOP, NARROW):
        clerk = Clerk(new_page, assert_accessible, language, viewport, live_url, tmp_path)
        page = clerk.page
        clerk.sign_in()
        clerk.visit("/backoffice/forms/")
        assert "Hundeanmeldung" in page.inner_text("main") or "Dog registration" in page.inner_text(
            "main"
        )

        # a new form: sent with nothing but a wrong address name, then right
        _follow_link(page, words["new"])
        clerk.check()
        type_into(page, "f-slug", "Falsch Name")
        press_button(page, words["make"])
        assert page.locator(".error-summary").count() == 1
        clerk.check()
        slug = f"angelkarte-{viewport['width']}"
        page.fill("#f-slug", "")
        type_into(page, "f-slug", slug)
        type_into(page, "f-title_de", "Angelkarte")
        press_button(page, words["make"])
        assert "/backoffice/forms/" in page.url and page.locator(".error-summary").count() == 0
        clerk.check()

        # the preview of the published form, at both widths in frames
        clerk.visit(f"/backoffice/forms/{form_id}/")
        _follow_link(page, words["preview"])
        assert page.locator("iframe[width='360']").count() == 1
        assert page.locator("iframe[width='1280']").count() == 1
        frame = page.frame_locator("iframe[width='360']")
        assert frame.locator("#f-first_name").count() == 1
        clerk.check()
        clerk.visit(f"/backoffice/forms/{form_id}/versions/1/preview/frame/")

        # the differences before publishing, in words
        clerk.visit(f"/backoffice/forms/{form_id}/")
        _follow_link(page, words["review"])
        text = page.inner_text("main")
        assert words["changed"] in text and words["added"] in text
        clerk.check()
        clerk.visit(f"/backoffice/forms/{form_id}/compare/?from=1&to=2")

        # test mode: the first step sent empty, then answered
        clerk.visit(f"/backoffice/forms/{form_id}/versions/2/test/")
        press_button(page, words["start-test"])
        press_button(page, words["continue"])
        assert page.locator(".error-summary").count() == 1
        clerk.check()

        # export: a download of the version's file
        clerk.visit(f"/backoffice/forms/{form_id}/")
        with page.expect_download() as download:
            tab_to_link = _tab_to_link(page, words["export"])
            assert tab_to_link
            page.keyboard.press("Enter")
        document = json.loads(Path(download.value.path()).read_text())
        assert document["format"] == "portalwerk-form"

        # import: a file with the address name of an existing form asks what it becomes
        clerk.visit("/backoffice/forms/import/")
        tab_to(page, "f-file")
        page.set_input_files("#f-file", str(EXPORT))  # the file dialog is the system's
        press_button(page, words["import"])
        clerk.check()
        if viewport is NARROW:
            # the second time the address name exists: the question
            assert page.locator("#f-choice-draft").count() == 1
            press_button(page, words["import-now"])
        assert page.locator(".error-summary").count() == 0
        clerk.check()
        if viewport is NARROW:
            # finally publish by keyboard, after reading the differences
            clerk.visit(f"/backoffice/forms/{form_id}/versions/2/publish/")
            press_button(page, words["publish"])
            clerk.check()
        files += clerk.files
        wide.update(clerk.wide)
    with schema_context("t_alpha"):
        from portalwerk.platform.forms.models import Form

        assert Form.objects.get(pk=form_id).published_version.number == 2
    assert not wide, "wider than the viewport:\n" + "\n".join(f"{k}: {v}" for k, v in wide.items())
    errors = check_files(files)
    assert not errors, "Nu HTML checker:\n" + "\n".join(errors)


def _tab_to_link(page, name: str) -> bool:
    for _ in range(120):
        page.keyboard.press("Tab")
        text = page.evaluate(
            "document.activeElement && document.activeElement.tagName === 'A' ? "
            "document.activeElement.innerText.trim() : null"
        )
        if text is not None and text.startswith(name):
            return True
    return False
