"""Booking in a real browser, keyboard only: book, get the mail, confirm, move and cancel; axe-core
reports no violation on any page, in German and in English.

The server, the browser and axe-core come from the browser conftest; the server does not flush
the database, and this test removes what it made.
"""

from __future__ import annotations

import re
import threading
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django_tenants.utils import schema_context

from tests.browser.keyboard import press_button, tab_to, type_into
from tests.helpers.appointments import make_office

pytestmark = pytest.mark.browser

WORDS = {
    "de": {
        "continue": "Weiter",
        "hold": "Zeit vormerken",
        "confirm": "Termin bestätigen",
        "cancel": "Ja, Termin absagen",
    },
    "en": {
        "continue": "Continue",
        "hold": "Hold this time",
        "confirm": "Confirm appointment",
        "cancel": "Yes, cancel the appointment",
    },
}


@pytest.fixture
def office(live_db):
    from portalwerk.platform.appointments.models import Appointment, BookableService
    from portalwerk.platform.catalog.models import Office
    from portalwerk.tenants.models import Tenant

    schema = Tenant.objects.get(slug="alpha").schema_name
    with schema_context(schema):
        setup = make_office(lead_time_minutes=0)
    yield setup
    with schema_context(schema):
        Appointment.objects.all().delete()
        Office.objects.filter(pk=setup.office.pk).delete()
        BookableService.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs WHERE task_name LIKE '%appointments%'")


def run_mail_worker() -> None:
    """A real procrastinate worker runs the mail jobs, in a thread of its own (its event loop
    must not meet Playwright's)."""
    from procrastinate.contrib.django import app

    def work():
        try:
            with app.replace_connector(app.connector.get_worker_connector()):
                app.run_worker(
                    queues=["mail"], wait=False, install_signal_handlers=False, listen_notify=False
                )
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=60)


class Citizen:
    """A page driven by the keyboard only; axe-core checks every page it reaches, whose language
    and title are noted in `checked`."""

    def __init__(self, page, assert_accessible):
        self.page = page
        self.assert_accessible = assert_accessible
        self.checked: list[str] = []

    def check(self):
        self.assert_accessible(self.page)
        lang = self.page.evaluate("document.documentElement.lang")
        self.checked.append(f"{lang} {self.page.title()}")

    def press(self, name: str):
        press_button(self.page, name)
        self.check()

    def tab_to_link(self, selector: str, limit: int = 250):
        """Tab until a link matching the selector has the focus (the links here have no ids)."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if self.page.evaluate(
                "s => document.activeElement && document.activeElement.matches(s)", selector
            ):
                return
        raise AssertionError(f"Tab never reached {selector} on {self.page.url}")

    def follow(self, selector: str):
        self.tab_to_link(selector)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        self.check()


def book_move_and_cancel(citizen: Citizen, base: str, office, email: str, language: str):
    page = citizen.page
    words = WORDS[language]
    page.goto(base + "/appointments/")
    citizen.check()
    if language == "en":
        citizen.press("English")
    # services: tick "ID card" with the space bar, continue
    tab_to(page, f"service-{office.id_card.pk}")
    page.keyboard.press("Space")
    citizen.press(words["continue"])
    citizen.press(words["continue"])  # the only office is preselected
    citizen.follow('a[href*="/appointments/times/"]')  # first day in the list
    citizen.press(words["continue"])  # first time preselected
    # sending the form empty shows the error summary, linked to the fields (checked by axe too)
    citizen.press(words["hold"])
    assert page.locator(".error-summary a[href='#id_name']").count() == 1
    type_into(page, "id_name", "Kim Keyboard")
    type_into(page, "id_email", email)
    citizen.press(words["hold"])
    assert email in page.content()
    # the mail arrives (sent by a real worker) with the confirmation link
    run_mail_worker()
    message = [m for m in mail.outbox if m.to == [email]][-1]
    link = re.search(r"https?://\S+/appointments/confirm/\S+/", message.body).group(0)
    page.goto(base + urlsplit(link).path)
    citizen.check()
    citizen.press(words["confirm"])
    assert "/appointments/manage/" in page.url
    # move to the second day in the list, first free time there
    citizen.follow('a[href*="/move/"]')
    citizen.tab_to_link('a[href*="/move/?"]')
    citizen.follow('a[href*="/move/?"]')
    citizen.press(words["continue"])
    assert "/appointments/manage/" in page.url
    citizen.follow('a[href$="/cancel/"]')
    citizen.press(words["cancel"])
    assert page.locator('a[href*="/move/"]').count() == 0


def test_book_confirm_move_and_cancel_by_keyboard_in_german_and_english(
    live_url, office, new_page, assert_accessible
):
    from portalwerk.platform.appointments.models import Appointment, Status
    from portalwerk.tenants.models import Tenant

    mail.outbox.clear()
    for language, email in [("de", "de@example.org"), ("en", "en@example.org")]:
        citizen = Citizen(new_page(locale="de-DE"), assert_accessible)
        book_move_and_cancel(citizen, live_url, office, email, language)
        langs = {entry.split(" ", 1)[0] for entry in citizen.checked}
        assert langs == ({"de", "en"} if language == "en" else {"de"}), citizen.checked
        assert len(citizen.checked) >= 12
    with schema_context(Tenant.objects.get(slug="alpha").schema_name):
        statuses = sorted(Appointment.objects.values_list("email", "status"))
    assert statuses == [
        ("de@example.org", Status.CANCELLED),
        ("en@example.org", Status.CANCELLED),
    ]
    # and each citizen got: please confirm, booked (with .ics), moved, cancelled
    run_mail_worker()
    for email in ["de@example.org", "en@example.org"]:
        mails = [m for m in mail.outbox if m.to == [email]]
        assert len(mails) == 4, [m.subject for m in mails]
        assert mails[1].attachments[0][0] == "appointment.ics"
