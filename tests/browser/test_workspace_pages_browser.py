"""The clerk's workspace by keyboard alone, in German and English, at 1280 and 320 px: the start
page leads to a submission; on it the clerk adds an internal note and changes the status, and
each time the feedback is announced (role=status) and has the focus in the section that changed;
the appointments of the day are shown for a day typed as TT.MM.JJJJ, and the clerk books for a
citizen. Every page on the way is axe-clean, Nu-clean and reflows at 320 px.

Uses the `data` fixture of the remaining-pages module (a clerk, an office with one appointment on
NOW's day, an unassigned submission with a citizen's reply)."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tests.browser.keyboard import press_button, tab_to, type_into
from tests.browser.test_html_and_reflow_browser import Walker
from tests.browser.test_remaining_pages_browser import (  # noqa: F401 (fixture)
    CLERK,
    DESKTOP,
    LOCALES,
    NARROW,
    NOW,
    data,
    sign_in,
)
from tests.helpers.vnu import check_files
from tests.platform.appointments.test_appointments_backoffice import next_workday

pytestmark = pytest.mark.browser

TEXT = {
    "de": {
        "save": "Notiz speichern",
        "saved": "Ihre Notiz wurde gespeichert.",
        "change": "Status ändern",
        "changed": "Der Status wurde geändert.",
        "status": "in Bearbeitung",
        "final": "abgeschl",
        "asked": "Danach lässt sich der Status nicht mehr ändern.",
        "show_times": "Freie Zeiten anzeigen",
        "book": "Buchen",
        "booked": "Termin für Lee Tastatur gebucht",
        "new": "Neue Anträge",
    },
    "en": {
        "save": "Save note",
        "saved": "Your note has been saved.",
        "change": "Change status",
        "changed": "The status has been changed.",
        "status": "in progress",
        "final": "compl",
        "asked": "After that its status cannot be changed any more.",
        "show_times": "Show free times",
        "book": "Book",
        "booked": "Booked Lee Tastatur at",
        "new": "New submissions",
    },
}
FOCUSED_FEEDBACK = """(section) => {
  const el = document.activeElement;
  return el && el.getAttribute('role') === 'status' && (!section || el.closest('#' + section))
    ? el.innerText : null;
}"""


def tab_to_link(page, href: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if (
            page.evaluate("document.activeElement && document.activeElement.getAttribute('href')")
            == href
        ):
            return
    raise AssertionError(f"no link to {href} can be reached with the Tab key on {page.url}")


def focused_feedback(page, section: str = "") -> str:
    try:
        handle = page.wait_for_function(FOCUSED_FEEDBACK, arg=section, timeout=5000)
    except Exception:
        raise AssertionError(page.url + "\n" + page.inner_text("main")[:1500]) from None
    return handle.json_value()


class Checked(Walker):
    """Every page recorded for the Nu checker and the 320 px check, and checked with axe."""

    def __init__(self, page, folder, language, assert_accessible):
        super().__init__(page, folder, language)
        self.assert_accessible = assert_accessible

    def here(self) -> None:
        assert self.page.evaluate("document.documentElement.lang").startswith(self.language)
        self.assert_accessible(self.page)
        self.record(self.page.content())


def _reset(data) -> None:  # noqa: F811
    from portalwerk.platform.appointments.models import Appointment
    from portalwerk.platform.casework.models import StatusChange
    from portalwerk.platform.forms.models import Submission

    with schema_context(data.schema):
        Submission.objects.filter(pk=data.inbox_id).update(status="received")
        StatusChange.objects.filter(submission_id=data.inbox_id).delete()
        Appointment.objects.exclude(name="Kim Counter").delete()


def _walk(walker: Checked, base: str, data, words: dict) -> None:  # noqa: F811
    from portalwerk.platform.appointments.models import BookableService

    page = walker.page
    page.context.clear_cookies()
    sign_in(page, base, CLERK)
    # the start page: what needs the clerk now; its new submission opens by keyboard
    page.goto(f"{base}/backoffice/")
    assert words["new"] in page.inner_text("main")
    walker.here()
    detail = f"/backoffice/inbox/{data.inbox_id}/"
    tab_to_link(page, detail)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(detail)
    walker.here()
    # an internal note: saved, announced and focused in the notes section
    note = f"Rückruf vereinbart ({walker.language}, {page.viewport_size['width']} px)"
    type_into(page, "f-note-body", note)
    press_button(page, words["save"])
    assert words["saved"] in focused_feedback(page, "notes")
    assert note in page.inner_text("#notes")
    walker.here()
    # the status, chosen by typing in the list: announced and focused in the status section
    tab_to(page, "f-status")
    page.keyboard.type(words["status"][:4])
    assert page.evaluate("document.getElementById('f-status').value") == "in_progress"
    press_button(page, words["change"])
    assert words["changed"] in focused_feedback(page, "status")
    walker.here()
    # a status that cannot be left again is asked for once more; "No" goes back unchanged
    tab_to(page, "f-status")
    page.keyboard.type(words["final"])
    assert page.evaluate("document.getElementById('f-status').value") == "completed"
    press_button(page, words["change"])
    page.wait_for_function("document.activeElement && document.activeElement.tagName === 'H1'")
    assert words["asked"] in page.inner_text("main")
    walker.here()
    tab_to_link(page, detail)  # the confirmation is on the same address: a link back reloads
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert words["status"] in page.inner_text("main dl.summary >> nth=0")
    # the appointments of the day, chosen by typing the day
    page.goto(f"{base}/backoffice/appointments/?office={data.office_id}")
    walker.here()
    tab_to(page, "date")
    page.keyboard.press("Control+A")
    page.keyboard.type(f"{NOW:%d.%m.%Y}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Kim Counter" in page.inner_text("main") and f"{NOW:%d.%m.%Y}" in page.inner_text("h2")
    walker.here()
    # booking for a citizen on a day within the booking window: a service, the free times, a
    # time and a name
    day = next_workday()
    tab_to(page, "date")
    page.keyboard.press("Control+A")
    page.keyboard.type(f"{day:%d.%m.%Y}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with schema_context(data.schema):
        service = BookableService.objects.get(name="ID card")
    tab_to(page, f"service-{service.pk}")
    page.keyboard.press("Space")
    press_button(page, words["show_times"])
    walker.here()
    type_into(page, "id_start", "11:00")
    type_into(page, "id_name", "Lee Tastatur")
    press_button(page, words["book"])
    assert words["booked"] in focused_feedback(page)
    assert page.locator("main table", has_text="Lee Tastatur").count() == 1  # on its counter
    walker.here()


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_workspace_by_keyboard_is_accessible_and_valid_at_1280_and_320_px(
    live_url,
    data,  # noqa: F811
    new_page,
    tmp_path,
    assert_accessible,
    language,
):
    files, wide = [], {}
    try:
        for viewport in (DESKTOP, NARROW):
            page = new_page(locale=LOCALES[language], viewport=viewport)
            folder = tmp_path / f"{viewport['width']}"
            folder.mkdir()
            walker = Checked(page, folder, language, assert_accessible)
            _walk(walker, live_url, data, TEXT[language])
            files += walker.files
            wide.update(walker.wide)
            _reset(data)
    finally:
        _reset(data)
    assert not wide, "wider than the viewport:\n" + "\n".join(f"{k}: {v}" for k, v in wide.items())
    errors = check_files(files)
    assert not errors, "Nu HTML checker:\n" + "\n".join(errors)
