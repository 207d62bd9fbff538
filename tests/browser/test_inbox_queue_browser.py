"""The inbox as a work queue in the browser (issue 15): a clerk filters, moves through the rows
with the shortcuts, and assigns in bulk with the confirmation, all by keyboard; the focus comes
back to the rows worked on with the result read out. Every page of it is axe-clean, valid HTML
for the Nu checker and reflows at 320 px, in German and English."""

from __future__ import annotations

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from tests.browser.keyboard import press_button, tab_to
from tests.browser.test_html_and_reflow_browser import Walker
from tests.browser.test_remaining_pages_browser import LOCALES, PASSWORD, sign_in
from tests.helpers.forms import PERSON_STEP, delete_forms_data, make_submission, publish_form
from tests.helpers.vnu import check_files

pytestmark = pytest.mark.browser

CLERK = "queue-clerk@alpha.example"
COLLEAGUE = "queue-max@alpha.example"
NAMES = ["Erika Muster", "Emil Muster", "Ida Beispiel"]


@pytest.fixture
def queue_data(live_db):
    from portalwerk.platform.accounts.models import Role, User
    from portalwerk.platform.authz.actors import anonymous
    from portalwerk.tenants.models import Tenant

    tenant = Tenant.objects.get(slug="alpha")
    with schema_context(tenant.schema_name):
        clerk = User.objects.create_user(
            CLERK, PASSWORD, role=Role.CLERK_PROCESSOR, full_name="Clara Clerk"
        )
        colleague = User.objects.create_user(
            COLLEAGUE, PASSWORD, role=Role.CLERK_PROCESSOR, full_name="Max Muster"
        )
        form = publish_form(
            clerk, "queue-contact", {"de": "Kontakt", "en": "Contact"}, {"steps": [PERSON_STEP]}
        )
        made = []
        for name in NAMES:
            first, last = name.split()
            answers = {"person": {"first_name": first, "last_name": last, "email": "e@example.org"}}
            made.append(make_submission(form, anonymous(), answers))
    yield {"schema": tenant.schema_name, "ids": [s.pk for s in made], "colleague": colleague.pk}
    with schema_context(tenant.schema_name):
        from portalwerk.platform.audit.models import Entry
        from portalwerk.platform.casework.saved_views import SavedView

        SavedView.objects.all().delete()
        delete_forms_data()
        Entry.objects.all().delete()
        User.objects.filter(email__in=[CLERK, COLLEAGUE]).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_jobs WHERE args->>'schema_name' = %s", [tenant.schema_name]
        )
    connection.set_schema_to_public()


def focused_row(page) -> str:
    """The id of the table row that holds the focus ('' if none)."""
    return page.evaluate(
        "(() => { const r = document.activeElement && document.activeElement.closest"
        "('tr[data-queue-row]'); return r ? r.id : ''; })()"
    )


def test_a_clerk_filters_moves_and_assigns_in_bulk_by_keyboard(
    live_url, queue_data, new_page, assert_accessible
):
    from playwright.sync_api import expect

    page = new_page(locale=LOCALES["en"])
    sign_in(page, live_url, CLERK)
    page.goto(f"{live_url}/backoffice/inbox/")
    # "/" goes to the search; typed letters stay in the field (no shortcut while typing)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "f-q"
    page.keyboard.type("jkMuster")
    assert page.input_value("#f-q") == "jkMuster"
    page.keyboard.press("Control+a")
    page.keyboard.type("Muster")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    rows = page.locator("tr[data-queue-row]")
    assert rows.count() == 2  # Ida Beispiel is not a "Muster"
    assert "Ida Beispiel" not in page.inner_text("main")
    # j and k move between the rows, x selects
    page.locator("main h1").click()  # out of any field, as after reading the page
    page.keyboard.press("j")
    first = focused_row(page)
    page.keyboard.press("j")
    second = focused_row(page)
    assert first and second and first != second
    page.keyboard.press("k")
    assert focused_row(page) == first
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    assert page.locator("input[name=ids]:checked").count() == 2
    # a: assign the selected rows to me, through the confirmation page
    with page.expect_navigation():
        page.keyboard.press("a")
    assert page.inner_text("h1") == "2 submissions will be assigned to you."
    assert page.evaluate("document.activeElement.id") == "bulk-confirm"
    assert_accessible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # back at the filtered list, at the first row worked on, the result announced
    assert "q=Muster" in page.url
    expect(page.locator("#queue-announce")).to_have_text("2 submissions have been assigned to you.")
    assert focused_row(page) in (first, second)
    assert page.inner_text("main").count("Clara Clerk") >= 2
    # a colleague: choose the row, then the person and the button, all with the keyboard
    page.keyboard.press("x")
    tab_to(page, "bulk-assignee")
    page.keyboard.type("Max")
    assert page.input_value("#bulk-assignee") == str(queue_data["colleague"])
    press_button(page, element_id="bulk-assign")
    assert page.inner_text("h1") == "1 submission will be assigned to Max Muster."
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#queue-announce")).to_have_text(
        "1 submission has been assigned to Max Muster."
    )
    assert "Max Muster" in page.inner_text("tbody")


def _walk(walker: Walker, base: str, data: dict, check) -> None:
    page = walker.page

    def visit(path: str) -> None:
        response = page.goto(f"{base}{path}")
        assert response.status < 500, path
        walker.record(response.text())
        check(page)

    def submit(selector: str) -> None:
        with page.expect_navigation():
            page.locator(selector).first.click()
        walker.record(page.content())
        check(page)

    page.context.clear_cookies()
    sign_in(page, base, CLERK)
    visit("/backoffice/inbox/")
    visit("/backoffice/inbox/?q=Muster&sort=applicant&deadline=none&payment=unpaid")
    visit("/backoffice/inbox/?from=32.13.2026&q=ab")  # the error summary
    assert page.locator(".error-summary").count() == 1
    visit("/backoffice/inbox/?status=received&sort=-due")
    page.fill("#f-view-name", "Eingegangen")
    submit(".queue-save-view button")  # the saved view, and its message
    page.check(f"#sel-{data['ids'][0]}")
    page.select_option("#bulk-status", "completed")
    submit("#bulk-status-button")  # a refusal on the confirmation page
    assert page.locator("#bulk-refused").count() == 1
    visit("/backoffice/inbox/")
    page.check(f"#sel-{data['ids'][1]}")
    submit("#bulk-assign-me")
    submit("#bulk-confirm")


def test_the_queue_pages_are_accessible_valid_html_and_reflow(
    live_url, queue_data, new_page, assert_accessible, tmp_path
):
    files, wide = [], {}
    for language in ("de", "en"):
        for width in (1280, 320):
            page = new_page(locale=LOCALES[language], viewport={"width": width, "height": 800})
            walker = Walker(page, tmp_path, f"{language}-{width}")

            def check(page, language=language):
                assert page.evaluate("document.documentElement.lang").startswith(language)
                assert_accessible(page)

            _walk(walker, live_url, queue_data, check)
            files += walker.files
            wide.update(walker.wide)
            with schema_context(queue_data["schema"]):
                from portalwerk.platform.casework.saved_views import SavedView
                from portalwerk.platform.forms.models import Submission

                SavedView.objects.all().delete()
                Submission.objects.update(assigned_to=None)
    assert not wide, "wider than the window:\n" + "\n".join(f"{k}: {v}" for k, v in wide.items())
    errors = check_files(files)
    assert not errors, "Nu HTML checker:\n" + "\n".join(errors)
