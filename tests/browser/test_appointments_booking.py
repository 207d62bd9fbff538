"""Booking in a real browser, keyboard only: book, get the mail, confirm, move and cancel; axe-core
reports no violation on any page, in German and in English.

Debian's chromium driven by Playwright (never `playwright install`). The live server runs in a
thread on the committed test database without Django's flush (which would delete the session's
test tenants); the test removes what it made.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.test.testcases import LiveServerThread, _StaticFilesHandler
from django_tenants.utils import schema_context

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "platform" / "appointments"))

from appointment_helpers import make_office  # noqa: E402

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("PORTALWERK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--host-resolver-rules=MAP *.localhost 127.0.0.1",
]


def _missing() -> str | None:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        return f"chromium not found at {CHROMIUM}"
    try:
        import axe_playwright_python  # noqa: F401
        import playwright  # noqa: F401
    except ImportError as exc:
        return f"playwright or axe-playwright-python missing: {exc}"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("PORTALWERK_REQUIRE_ALL") == "1":
            pytest.fail(f"browser test required but: {reason}")
        print(f"\nSKIPPING BROWSER TESTS: {reason}", file=sys.stderr)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the Django calls the test makes
    # next to it are synchronous all the same (Django's own advice for Playwright tests).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def live_server_url(live_db):
    """A live server thread on the real test database, without flushing anything."""
    server = LiveServerThread("127.0.0.1", _StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    yield f"http://alpha.localhost:{server.port}"
    server.terminate()


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


class Keyboard:
    """Moves the focus with Tab only and acts with Enter, Space and typing; checks each page."""

    def __init__(self, page, axe):
        self.page = page
        self.axe = axe
        self.checked: list[str] = []

    def check(self):
        results = self.axe.run(self.page)
        assert results.violations_count == 0, (self.page.url, results.generate_report())
        lang = self.page.evaluate("document.documentElement.lang")
        self.checked.append(f"{lang} {self.page.title()}")

    def tab_to(self, selector: str, limit: int = 250):
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if self.page.evaluate(
                "s => document.activeElement && document.activeElement.matches(s)", selector
            ):
                return
        raise AssertionError(f"Tab never reached {selector} on {self.page.url}")

    def activate(self, selector: str, key: str = "Enter"):
        self.tab_to(selector)
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.check()

    def type_into(self, selector: str, text: str):
        self.tab_to(selector)
        self.page.keyboard.type(text)


def book_move_and_cancel(keys: Keyboard, email: str, language_button: str | None):
    page = keys.page
    page.goto(keys.base + "/appointments/")
    keys.check()
    if language_button:
        keys.activate(f'button[name="language"][value="{language_button}"]')
    # services: tick "ID card" with the space bar, continue
    keys.tab_to('input[name="service"]')
    page.keyboard.press("Space")
    keys.activate('form[action$="/office/"] button[type="submit"]')
    keys.activate('form[action$="/days/"] button[type="submit"]')  # the only office is preselected
    keys.activate('a[href*="/appointments/times/"]')  # first day in the list
    keys.activate('form[action$="/details/"] button[type="submit"]')  # first time preselected
    # sending the form empty shows the error summary, linked to the fields (checked by axe too)
    keys.activate('form button[type="submit"].button')
    assert page.locator(".error-summary a[href='#id_name']").count() == 1
    keys.type_into("#id_name", "Kim Keyboard")
    keys.type_into("#id_email", email)
    keys.activate('form button[type="submit"].button')
    assert email in page.content()
    # the mail arrives (sent by a real worker) with the confirmation link
    run_mail_worker()
    message = [m for m in mail.outbox if m.to == [email]][-1]
    link = re.search(r"https?://\S+/appointments/confirm/\S+/", message.body).group(0)
    page.goto(keys.base + urlsplit(link).path)
    keys.check()
    keys.activate('main form button[type="submit"]')
    assert "/appointments/manage/" in page.url
    # move to the second day in the list, first free time there
    keys.activate('a[href*="/move/"]')
    keys.tab_to('a[href*="/move/?"]')
    keys.tab_to('a[href*="/move/?"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    keys.check()
    keys.activate('main form button[type="submit"]')
    assert "/appointments/manage/" in page.url
    keys.activate('a[href$="/cancel/"]')
    keys.activate('main form button[type="submit"]')
    assert page.locator('a[href*="/move/"]').count() == 0


def test_book_confirm_move_and_cancel_by_keyboard_in_german_and_english(
    browser, live_server_url, office
):
    from axe_playwright_python.sync_playwright import Axe

    from portalwerk.platform.appointments.models import Appointment, Status
    from portalwerk.tenants.models import Tenant

    mail.outbox.clear()
    axe = Axe()
    for language, email in [(None, "de@example.org"), ("en", "en@example.org")]:
        context = browser.new_context(locale="de-DE")
        page = context.new_page()
        keys = Keyboard(page, axe)
        keys.base = live_server_url
        book_move_and_cancel(keys, email, language)
        context.close()
        langs = {entry.split(" ", 1)[0] for entry in keys.checked}
        assert langs == ({"de", "en"} if language else {"de"}), keys.checked
        assert len(keys.checked) >= 12
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
