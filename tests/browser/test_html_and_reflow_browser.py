"""Beyond axe-core (issue 12): every page type, in German and English, is valid HTML for the Nu
HTML Checker (one vnu run for all pages: it is a JVM) and reflows at 320 px without content
wider than the viewport outside data tables (WCAG 1.4.10). The check-your-answers page carries
a long email address, the value that used to push the "Change" links off-screen.

Uses the `data` fixture of the remaining-pages module (users, a paid submission, an office)."""

from __future__ import annotations

import pytest

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

LONG_EMAIL = "erika.mustermann-langer-doppelname-mit-vielen-teilen@beispiel-kommune.example.org"
# Elements wider than the viewport (tables excepted); hidden helpers sit off-screen to the left.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  const page = document.documentElement.scrollWidth;
  if (page > width) wide.push('page ' + page);
  for (const el of document.querySelectorAll('body *')) {
    // tables and the regions that scroll on their own (a preview's frames): WCAG 1.4.10 lets
    // content that needs two dimensions scroll inside its region; the page itself may not
    if (el.closest('table, .table-scroll')) continue;
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1)
      wide.push(el.tagName + '.' + el.className + ' ' + Math.round(box.right));
  }
  return wide.slice(0, 8);
}"""


class Walker:
    def __init__(self, page, folder, language):
        self.page, self.folder, self.language = page, folder, language
        self.files = []
        self.wide = {}

    def record(self, html: str, reflow: bool = True) -> None:
        path = self.folder / f"{self.language}-{len(self.files):02d}.html"
        path.write_text(html, encoding="utf-8")
        self.files.append(path)
        if reflow:
            wide = self.page.evaluate(OVERFLOW)
            if wide:
                self.wide[f"{self.page.url} ({path.name})"] = wide

    def visit(self, url: str, reflow: bool = True) -> None:
        response = self.page.goto(url)
        assert response.status < 500, url
        self.record(response.text(), reflow)


INVITEE = "browser-invitee@alpha.example"


def invitation(data) -> str:  # noqa: F811
    """A valid invitation link's token for INVITEE (made once, removed by the test)."""
    from django_tenants.utils import schema_context

    from portalwerk.platform.accounts import tokens
    from portalwerk.platform.accounts.models import Role, User

    with schema_context(data.schema):
        user = User.objects.filter(email=INVITEE).first() or User.objects.create_user(
            INVITEE, None, role=Role.CLERK_READER
        )
        return tokens.make_token(user, tokens.Purpose.ACCEPT_INVITATION)


def _walk(walker: Walker, base: str, platform: str, data) -> None:  # noqa: F811
    page = walker.page
    for path in (
        "/",
        "/services/",
        "/search/?q=Ausweis",
        "/imprint/",
        "/privacy/",
        "/accessibility/",
        "/leichte-sprache/",
        "/sign-language/",
        "/appointments/",
        "/forms/",
        "/forms/contact/",
        "/accounts/sign-in/",
        "/accounts/sign-up/",
        "/accounts/password-reset/",
    ):
        walker.visit(base + path)
    # a form: a step sent empty (error summary), then filled with a long email, then check
    page.goto(f"{base}/forms/contact/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    walker.record(page.content())
    with page.expect_navigation():
        page.locator("main form button[value=continue]").last.click()
    assert page.locator(".error-summary").count() == 1
    walker.record(page.content())
    page.fill("#f-first_name", "Erika")
    page.fill("#f-last_name", "Mustermann-Langer")
    page.fill("#f-email", LONG_EMAIL)
    with page.expect_navigation():
        page.press("#f-email", "Enter")
    assert "/check/" in page.url, page.url
    walker.visit(page.url)
    # the citizen's and the clerk's pages
    sign_in(page, base, CITIZEN)
    walker.visit(f"{base}/my/applications/")
    walker.visit(f"{base}/my/applications/{data.reference}/")
    walker.visit(f"{base}/forms/done/{data.reference}/")  # the receipt's checksum: 64 letters
    walker.visit(f"{base}/my/applications/claim/")
    # my account: the page, then a postcode it refuses (error summary, the message at the field)
    walker.visit(f"{base}/accounts/profile/")
    page.fill("#id_street", "Hauptstraße")
    page.fill("#id_house_number", "1a")
    page.fill("#id_postcode", "123")
    page.fill("#id_city", "Musterstadt")
    with page.expect_navigation():
        page.press("#id_city", "Enter")
    assert page.locator(".error-summary").count() == 1
    assert page.locator("#id_postcode_error").count() == 1
    walker.record(page.content())
    page.context.clear_cookies()
    # without an account: by access link, and the page for a new link
    walker.visit(base + data.link_path)
    walker.visit(f"{base}/my/applications/new-link/?problem=expired")
    page.context.clear_cookies()
    sign_in(page, base, CLERK)
    walker.visit(f"{base}/backoffice/inbox/")
    walker.visit(f"{base}/backoffice/inbox/?payment=blocked")
    walker.visit(f"{base}/backoffice/inbox/{data.inbox_id}/")
    walker.visit(f"{base}/backoffice/payments/")
    walker.visit(f"{base}/backoffice/payments/{data.payment_id}/")
    day = f"{base}/backoffice/appointments/?office={data.office_id}&date={NOW.date()}"
    walker.visit(day)  # its tables scroll inside their own regions
    page.context.clear_cookies()
    sign_in(page, base, ADMIN)
    walker.visit(f"{base}/backoffice/audit/")
    walker.visit(f"{base}/backoffice/payments/account/")
    # the tenant admin's staff pages: the list, the invitation sent empty, a member, the modules
    walker.visit(f"{base}/backoffice/staff/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    assert page.locator(".error-summary").count() == 1
    walker.record(page.content())
    with page.expect_navigation():
        page.click(f"main table a:text-is('{CLERK}')")
    walker.record(page.content())
    walker.visit(f"{base}/backoffice/modules/")
    page.context.clear_cookies()
    walker.visit(f"{base}/accounts/invitation/{invitation(data)}/")
    page.context.clear_cookies()
    sign_in(page, base, ADMIN)
    # the back office's Django-admin lists: test_backoffice_and_booking_html_browser
    walker.visit(f"{base}/backoffice/")
    walker.visit(platform + "/")
    walker.visit(platform + "/accessibility/")


def test_every_page_type_is_valid_html_and_reflows_at_320_px(
    live_url,
    data,  # noqa: F811 (the fixture imported above)
    portal_server,
    new_page,
    tmp_path,
):
    files, wide = [], {}
    try:
        for language in ("de", "en"):
            page = new_page(locale=LOCALES[language], viewport={"width": 320, "height": 800})
            walker = Walker(page, tmp_path, language)
            _walk(walker, live_url, portal_server.url("localhost", "").rstrip("/"), data)
            files += walker.files
            wide.update(walker.wide)
    finally:
        from django_tenants.utils import schema_context

        from portalwerk.platform.accounts.models import User

        with schema_context(data.schema):
            User.objects.filter(email=INVITEE).delete()
    assert not wide, "wider than 320 px:\n" + "\n".join(f"{k}: {v}" for k, v in wide.items())
    errors = check_files(files)
    assert not errors, "Nu HTML checker:\n" + "\n".join(errors)
