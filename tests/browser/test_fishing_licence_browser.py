"""A citizen fills the fishing licence exam application with the keyboard only, in a real
browser (Debian's chromium driven by Playwright), uploads a file, checks the answers, submits;
axe-core finds nothing on any page, in German and in English; the clerk finds the submission.

The server, the browser and axe-core come from the browser conftest; the server does not flush
the database, and this test removes what it committed.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import from_user
from tests.browser.keyboard import press_button, tab_to, type_into
from tests.helpers.forms import PNG, delete_forms_data

pytestmark = pytest.mark.browser

PASSWORD = "Test-Passwort-2026!"


@pytest.fixture
def fishing_form(live_db):
    from portalwerk.platform.accounts.models import Role, User
    from portalwerk.platform.formlibrary.library import sync_library
    from portalwerk.platform.formlibrary.models import FormTemplate
    from portalwerk.platform.forms import services
    from portalwerk.tenants.models import Tenant

    had_library = set(FormTemplate.objects.values_list("key", flat=True))
    sync_library()
    tenant = Tenant.objects.get(slug="alpha")
    with schema_context(tenant.schema_name):
        clerk = User.objects.create_user(
            "browser-clerk@alpha.example", PASSWORD, role=Role.CLERK_PROCESSOR
        )
        services.adopt_template(actor=from_user(clerk), key="fishing-licence-exam", publish=True)
    yield tenant
    with schema_context(tenant.schema_name):
        delete_forms_data()
        User.objects.filter(email="browser-clerk@alpha.example").delete()
    FormTemplate.objects.exclude(key__in=had_library).delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs WHERE task_name LIKE '%forms.tasks%'")
    connection.set_schema_to_public()


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("de-DE", {"start": "Jetzt starten", "continue": "Weiter", "submit": "Antrag absenden"}),
        ("en-GB", {"start": "Start now", "continue": "Continue", "submit": "Submit application"}),
    ],
)
def test_fishing_licence_by_keyboard_end_to_end(
    live_url, fishing_form, new_page, assert_accessible, locale, words, tmp_path
):
    from portalwerk.platform.forms.models import Submission

    photo = tmp_path / "bescheinigung.png"
    photo.write_bytes(PNG)
    page = new_page(locale=locale)
    page.goto(f"{live_url}/forms/fishing-licence-exam/")
    assert_accessible(page)
    press_button(page, words["start"])
    # step 1: sending it empty shows the error summary, which is accessible too
    assert_accessible(page)
    press_button(page, words["continue"])
    assert page.locator(".error-summary").count() == 1
    # the summary takes the focus without JavaScript, and its links lead to the fields
    page.wait_for_function("document.activeElement.classList.contains('error-summary')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#f-first_name"
    assert_accessible(page)
    type_into(page, "f-first_name", "Anna")
    type_into(page, "f-last_name", "Muster")
    type_into(page, "f-date_of_birth", "27.03.1990")
    press_button(page, words["continue"])
    # step 2: address
    assert_accessible(page)
    type_into(page, "f-home-street", "Hauptstraße")
    type_into(page, "f-home-house_number", "1")
    type_into(page, "f-home-postcode", "12345")
    type_into(page, "f-home-city", "Alpha")
    press_button(page, words["continue"])
    # step 3: contact
    assert_accessible(page)
    type_into(page, "f-email", "anna@example.com")
    press_button(page, words["continue"])
    # step 4: exam, with a radio group, a yes/no and an upload
    assert_accessible(page)
    tab_to(page, "f-exam_date-0")
    page.keyboard.press("Space")
    tab_to(page, "f-course_done-0")
    page.keyboard.press("Space")
    tab_to(page, "f-course_certificate")
    page.set_input_files("#f-course_certificate", str(photo))
    tab_to(page, "f-previous_attempt-0")
    page.keyboard.press("ArrowDown")  # "no"
    press_button(page, words["continue"])
    # step 5: declaration
    assert_accessible(page)
    tab_to(page, "f-truthful")
    page.keyboard.press("Space")
    press_button(page, words["continue"])
    # check your answers
    assert_accessible(page)
    body = page.inner_text("main")
    assert "Anna" in body and "bescheinigung.png" in body and "12345" in body
    press_button(page, words["submit"])
    assert_accessible(page)
    reference = page.inner_text(".reference")
    assert re.fullmatch(r"ALP-\d{4}-\d{6}", reference)
    # the clerk finds it in the inbox
    clerk_page = new_page(locale=locale)
    clerk_page.goto(f"{live_url}/accounts/sign-in/?next=/backoffice/inbox/")
    type_into(clerk_page, "id_email", "browser-clerk@alpha.example")
    type_into(clerk_page, "id_password", PASSWORD)
    clerk_page.keyboard.press("Enter")
    # the inbox itself, not the sign-in page whose ?next= ends the same way
    clerk_page.wait_for_url(re.compile(r"^https?://[^/?]+/backoffice/inbox/$"))
    assert reference in clerk_page.inner_text("main")
    assert_accessible(clerk_page)
    with schema_context(fishing_form.schema_name):
        submission = Submission.objects.get(reference=reference)
        assert submission.answers["previous_attempt"] is False
        assert submission.uploads.get().name == "bescheinigung.png"
