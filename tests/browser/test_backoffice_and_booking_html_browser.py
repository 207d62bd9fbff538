"""The Nu HTML checker and the 320 px reflow check (issue 12) on the pages the walk of every page
type leaves out, in German and English: the clerk's Django-admin back office (its index, the
lists and forms clerks work with, the appointments of the day, the cancel confirmation) and the
citizen's appointment steps (times, details with and without errors, the held time, the cancel
confirmation), the payment page and the demo provider's checkout. Data tables may scroll
inside their own region; the page itself must not.

Uses the `data` fixture of the remaining-pages module (users, a paid submission, an office with
one appointment booked by a clerk)."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tests.browser.test_html_and_reflow_browser import Walker
from tests.browser.test_remaining_pages_browser import (  # noqa: F401 (fixture)
    ADMIN,
    CITIZEN,
    CLERK,
    LOCALES,
    NOW,
    data,
    sign_in,
)
from tests.helpers.vnu import check_files

pytestmark = pytest.mark.browser

# The admin lists and forms a clerk or tenant admin of a demo tenant opens.
ADMIN_PAGES = [
    "/backoffice/",
    "/backoffice/appointments/appointment/",
    "/backoffice/appointments/bookableoffice/",
    "/backoffice/appointments/counter/",
    "/backoffice/appointments/bookableservice/",
    "/backoffice/catalog/service/",
    "/backoffice/catalog/office/",
    "/backoffice/catalog/category/",
    "/backoffice/forms/form/",
    "/backoffice/forms/formversion/",
    "/backoffice/payments/feeaccount/",
    "/backoffice/catalog/accessibilitystatement/",
    "/backoffice/catalog/accessibilityfeedback/",
]


def _sign_in(page, base: str, email: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, email)


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def _back_office(walker: Walker, base: str, data) -> None:  # noqa: F811
    page = walker.page
    _sign_in(page, base, ADMIN)
    for path in ADMIN_PAGES:
        walker.visit(base + path)
    assert page.evaluate("document.documentElement.lang").startswith(walker.language)
    with schema_context(data.schema):
        from portalwerk.platform.appointments.models import Appointment

        appointment = Appointment.objects.get(name="Kim Counter")
    walker.visit(f"{base}/backoffice/appointments/appointment/{appointment.pk}/change/")
    walker.visit(f"{base}/backoffice/catalog/office/{data.office_id}/change/")
    # the clerk's day, the booking form, and the cancel confirmation
    _sign_in(page, base, CLERK)
    day = f"{base}/backoffice/appointments/?office={data.office_id}&date={NOW.date()}"
    walker.visit(day)
    assert "Kim Counter" in page.inner_text("main, #content")
    _submit(page, "button[name=action][value=cancel]")
    walker.record(page.content())
    walker.visit(day)
    _submit(page, 'form[action*="/close/"] button[type=submit]')  # the close confirmation
    walker.record(page.content())
    walker.visit(f"{base}/backoffice/inbox/{data.inbox_id}/")


def _citizen(walker: Walker, base: str, data) -> None:  # noqa: F811
    from portalwerk.platform.appointments import access
    from portalwerk.platform.appointments.models import Appointment, BookableService

    page = walker.page
    page.context.clear_cookies()
    with schema_context(data.schema):
        service = BookableService.objects.get(name="ID card")
        token = access.manage_token(Appointment.objects.get(name="Kim Counter"))
    walker.visit(f"{base}/appointments/days/?service={service.pk}&office={data.office_id}")
    _submit(page, 'main a[href*="/appointments/times/"]')
    walker.record(page.content())  # the time selection
    assert page.evaluate("document.documentElement.lang").startswith(walker.language)
    _submit(page, "main form button[type=submit]")
    assert "/appointments/details/" in page.url, page.url
    walker.record(page.content())
    _submit(page, "main form button[type=submit]")  # sent empty: the error summary
    assert page.locator(".error-summary").count() == 1
    walker.record(page.content())
    page.fill("#id_name", "Kim Keyboard-Langername")
    page.fill("#id_email", f"kim-{walker.language}@beispiel-kommune.example.org")
    _submit(page, "main form button[type=submit]")
    assert "/appointments/held/" in page.url, page.url
    walker.record(page.content())
    walker.visit(f"{base}/appointments/manage/{token}/")
    walker.visit(f"{base}/appointments/manage/{token}/cancel/")
    assert page.locator("main form button[type=submit]").count() == 1
    # the fee of the citizen's submission: the payment page and the demo provider's checkout
    _sign_in(page, base, CITIZEN)
    walker.visit(f"{base}/pay/{data.reference}/")
    _submit(page, "#pay-now")
    assert "/pay/demo/" in page.url, page.url
    walker.record(page.content())


def test_back_office_and_booking_pages_are_valid_html_and_reflow_at_320_px(
    live_url,
    data,  # noqa: F811 (the fixture imported above)
    new_page,
    tmp_path,
):
    from portalwerk.platform.appointments.models import Appointment

    files, wide = [], {}
    for language in ("de", "en"):
        page = new_page(locale=LOCALES[language], viewport={"width": 320, "height": 800})
        walker = Walker(page, tmp_path, language)
        _back_office(walker, live_url, data)
        _citizen(walker, live_url, data)
        files += walker.files
        wide.update(walker.wide)
        with schema_context(data.schema):
            Appointment.objects.exclude(name="Kim Counter").delete()
    assert not wide, "wider than 320 px:\n" + "\n".join(f"{k}: {v}" for k, v in wide.items())
    errors = check_files(files)
    assert not errors, "Nu HTML checker:\n" + "\n".join(errors)
