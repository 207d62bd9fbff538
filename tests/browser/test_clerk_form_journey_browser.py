"""Issue 15's whole journey in a real browser, by keyboard only: a clerk makes a new form in
the workspace, builds a second step with a condition and a fee in the builder, previews it,
publishes it; a citizen fills it in and pays; the clerk finds the submission in the queue,
answers the citizen and closes it. Every page on the way (the clerk's and the citizen's) has no
axe-core violations, is valid for the Nu HTML checker and has nothing wider than the screen at
320 px; the journey runs in German and in English, at 1280 and at 320 px."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from tests.browser.keyboard import press_button, tab_to, type_into
from tests.browser.test_demo_forms_by_keyboard_browser import KeyboardCitizen
from tests.browser.test_form_builder_browser import build_by_keyboard
from tests.browser.test_forms_workspace_browser import _follow_link
from tests.browser.test_html_and_reflow_browser import Walker
from tests.browser.test_remaining_pages_browser import LOCALES, PASSWORD, sign_in
from tests.browser.test_workspace_pages_browser import focused_feedback, tab_to_link
from tests.helpers.vnu import check_files

pytestmark = pytest.mark.browser

CLERK = "journey-clerk@alpha.example"
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 800}
WORDS = {
    "de": {
        "forms": "Formulare",
        "new": "Neues Formular",
        "make": "Formular anlegen",
        "edit": "Bearbeiten",
        "preview": "Vorschau",
        "review": "Prüfen und veröffentlichen",
        "publish": "Version 1 veröffentlichen",
        "start": "Jetzt starten",
        "submit": "Antrag absenden",
        "paid": "Gebühr bezahlt",
        "inbox": "Posteingang",
        "send": "Nachricht senden",
        "sent": "Ihre Nachricht wurde",
        "change": "Status ändern",
        "working": "in Bea",
        "final": "abgeschl",
        "confirm": "Ja, zu „abgeschlossen“ ändern",
        "changed": "Der Status wurde geändert.",
        "answer": "Guten Tag, Ihr Hund Bello ist angemeldet.",
    },
    "en": {
        "forms": "Forms",
        "new": "New form",
        "make": "Make the form",
        "edit": "Edit",
        "preview": "Preview",
        "review": "Review and publish",
        "publish": "Publish version 1",
        "start": "Start now",
        "submit": "Submit application",
        "paid": "Fee paid",
        "inbox": "Inbox",
        "send": "Send message",
        "sent": "Your message has been sent",
        "change": "Change status",
        "working": "in pro",
        "final": "compl",
        "confirm": "Yes, change to “completed”",
        "changed": "The status has been changed.",
        "answer": "Hello, your dog Bello is registered.",
    },
}


@pytest.fixture
def journey_clerk(live_db):
    from portalwerk.platform.accounts.models import Role, User
    from portalwerk.platform.audit.models import Entry
    from portalwerk.tenants.models import Tenant
    from tests.helpers.payments import delete_payments_data

    tenant = Tenant.objects.get(slug="alpha")
    with schema_context(tenant.schema_name):
        User.objects.create_user(
            CLERK, PASSWORD, role=Role.CLERK_PROCESSOR, full_name="Jana Journey"
        )
    yield tenant
    with schema_context(tenant.schema_name):
        delete_payments_data()
        Entry.objects.all().delete()
        User.objects.filter(email=CLERK).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_jobs WHERE args->>'schema_name' = %s", [tenant.schema_name]
        )
    connection.set_schema_to_public()


class Checked(Walker):
    """Each page: axe, kept for the Nu checker, measured for reflow."""

    def __init__(self, page, folder, name, language, assert_accessible):
        super().__init__(page, folder, name)
        self.lang, self.assert_accessible = language, assert_accessible

    def here(self, page=None) -> None:
        assert self.page.evaluate("document.documentElement.lang").startswith(self.lang)
        self.assert_accessible(self.page)
        self.record(self.page.content())


def clerk_builds_and_publishes(clerk: Checked, base: str, words: dict, slug: str) -> int:
    page = clerk.page
    sign_in(page, base, CLERK)
    page.goto(f"{base}/backoffice/")
    clerk.here()
    _follow_link(page, words["forms"])
    clerk.here()
    _follow_link(page, words["new"])
    clerk.here()
    type_into(page, "f-slug", slug)
    type_into(page, "f-title_de", "Hundeanmeldung")
    type_into(page, "f-title_en", "Dog registration")
    tab_to(page, "f-processing_days")
    page.keyboard.press("Control+A")
    page.keyboard.type("14")
    press_button(page, words["make"])
    found = re.search(r"/backoffice/forms/(\d+)/", page.url)
    assert found and page.locator(".error-summary").count() == 0, page.url
    form_id = int(found.group(1))
    clerk.here()
    # the builder, reached from the form's page: a second step, a condition and a fee
    _follow_link(page, words["edit"])
    assert page.url.endswith(f"/backoffice/forms/{form_id}/versions/1/builder/")
    build_by_keyboard(page, base, form_id, clerk.lang, lambda _page: clerk.here())
    # the preview, at phone and desktop width
    page.goto(f"{base}/backoffice/forms/{form_id}/")
    _follow_link(page, words["preview"])
    for width in ("360", "1280"):
        assert page.frame_locator(f"iframe[width='{width}']").locator("#f-name").count() == 1
    clerk.here()
    # publishing, after reading what it publishes
    page.goto(f"{base}/backoffice/forms/{form_id}/")
    _follow_link(page, words["review"])
    clerk.here()
    press_button(page, words["publish"])
    clerk.here()
    return form_id


def citizen_applies_and_pays(citizen: Checked, base: str, words: dict, slug: str, folder):
    page = citizen.page
    page.on("filechooser", lambda _chooser: None)
    page.goto(f"{base}/forms/{slug}/")
    citizen.here()
    press_button(page, words["start"])
    answers = {
        "f-name": "Erika Mustermann",
        "f-haben_sie_einen_hund": 0,  # yes
        "f-name_des_hundes": "Bello",
    }
    filler = KeyboardCitizen(page, answers, folder)
    while "/check/" not in page.url:
        citizen.here()
        filler.fill_step()
    assert "Bello" in page.inner_text("main")
    assert ("15,00 €" if citizen.lang == "de" else "€15.00") in page.inner_text("main")
    citizen.here()
    press_button(page, words["submit"])
    assert "/pay/" in page.url, page.url
    citizen.here()
    press_button(page, element_id="pay-now")
    press_button(page, element_id="demo-pay")
    assert page.locator("h1").inner_text() == words["paid"]
    citizen.here()


def clerk_answers_and_closes(clerk: Checked, base: str, words: dict, submission) -> None:
    page = clerk.page
    page.goto(f"{base}/backoffice/")
    _follow_link(page, words["inbox"])
    clerk.here()
    type_into(page, "f-q", "Mustermann")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert submission.reference in page.inner_text("#queue")
    clerk.here()
    detail = f"/backoffice/inbox/{submission.pk}/"
    tab_to_link(page, detail, limit=200)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Bello" in page.inner_text("main")
    clerk.here()
    type_into(page, "f-body", words["answer"])
    press_button(page, words["send"])
    assert words["sent"] in focused_feedback(page, "messages")
    assert words["answer"] in page.inner_text("#messages")
    clerk.here()
    # in progress first (a received submission cannot be closed straight away), then closed
    tab_to(page, "f-status", limit=200)
    page.keyboard.type(words["working"])
    assert page.evaluate("document.getElementById('f-status').value") == "in_progress"
    press_button(page, words["change"])
    assert words["changed"] in focused_feedback(page, "status")
    clerk.here()
    tab_to(page, "f-status", limit=200)
    page.keyboard.type(words["final"])
    assert page.evaluate("document.getElementById('f-status').value") == "completed"
    press_button(page, words["change"])
    clerk.here()
    press_button(page, words["confirm"])
    assert words["changed"] in focused_feedback(page, "status")
    clerk.here()


@pytest.mark.parametrize(
    ("language", "viewport"),
    [("de", DESKTOP), ("en", NARROW), ("de", NARROW), ("en", DESKTOP)],
    ids=["de-1280", "en-320", "de-320", "en-1280"],
)
def test_a_clerk_builds_publishes_and_closes_what_a_citizen_submitted_by_keyboard(
    live_url, journey_clerk, new_page, assert_accessible, tmp_path, language, viewport
):
    from portalwerk.platform.casework.models import Message
    from portalwerk.platform.forms.models import Form, Submission

    words = WORDS[language]
    slug = f"hundeanmeldung-{language}-{viewport['width']}"
    name = f"{language}-{viewport['width']}"
    clerk = Checked(
        new_page(locale=LOCALES[language], viewport=viewport),
        tmp_path,
        f"clerk-{name}",
        language,
        assert_accessible,
    )
    citizen = Checked(
        new_page(locale=LOCALES[language], viewport=viewport),
        tmp_path,
        f"citizen-{name}",
        language,
        assert_accessible,
    )

    form_id = clerk_builds_and_publishes(clerk, live_url, words, slug)
    citizen_applies_and_pays(citizen, live_url, words, slug, tmp_path)
    with schema_context(journey_clerk.schema_name):
        submission = Submission.objects.get(form_id=form_id)
        form = Form.objects.get(pk=form_id)
        assert form.published_version.number == submission.version.number == 1
        assert submission.fee_cents == 1500 and submission.applicant_name == "Erika Mustermann"
        assert (submission.due_at - submission.submitted_at).days == 14
    clerk_answers_and_closes(clerk, live_url, words, submission)

    with schema_context(journey_clerk.schema_name):
        submission.refresh_from_db()
        assert submission.status == "completed"
        assert Message.objects.filter(
            submission=submission, from_office=True, body=words["answer"]
        ).exists()
    wide = {**clerk.wide, **citizen.wide} if viewport is NARROW else {}
    assert not wide, "wider than 320 px:\n" + "\n".join(f"{k}: {v}" for k, v in wide.items())
    errors = check_files(clerk.files + citizen.files)
    assert not errors, "Nu HTML checker:\n" + "\n".join(errors)
