"""The Content-Security-Policy (no 'unsafe-inline') in a real browser: the flows of the other
browser tests run again with every page watched for CSP violations (the browser's own
`securitypolicyviolation` events and its console), and still reach their end: a repeating group,
booking an appointment, paying a fee, the clerk's back office and the Django admin pages of the
back office and the operator console. Every page arrives with the policy.

The server, the browser and axe-core come from the browser conftest; the flows and their data
fixtures are the other modules' own, imported here."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.db import connection

from tests.browser.test_appointments_booking import office  # noqa: F401 (fixture)
from tests.browser.test_appointments_booking import (
    test_book_confirm_move_and_cancel_by_keyboard_in_german_and_english as booking_flow,
)
from tests.browser.test_payment_browser import fishing_form_with_fee  # noqa: F401 (fixture)
from tests.browser.test_payment_browser import (
    test_fishing_licence_fee_paid_with_the_demo_provider_by_keyboard as payment_flow,
)
from tests.browser.test_remaining_pages_browser import (
    ADMIN,
    CLERK,
    DESKTOP,
    PASSWORD,
    Visitor,
    data,  # noqa: F401 (fixture)
)
from tests.browser.test_remaining_pages_browser import (
    test_the_clerks_back_office_pages_have_no_axe_violations as back_office_flow,
)
from tests.browser.test_repeat_and_focus_browser import dogs  # noqa: F401 (fixture)
from tests.browser.test_repeat_and_focus_browser import (
    test_enter_in_a_repeated_entry_continues_and_never_removes as repeat_flow,
)

pytestmark = pytest.mark.browser

OPERATOR = "csp-operator@platform.example"
REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} on ${location.pathname}`
  );
});
"""


@dataclass
class Watch:
    violations: list[str] = field(default_factory=list)
    policies: dict[str, str | None] = field(default_factory=dict)  # document URL -> header

    def assert_clean(self) -> None:
        assert self.policies, "no page was loaded"
        missing = [url for url, policy in self.policies.items() if not policy]
        assert not missing, f"pages without a Content-Security-Policy: {missing}"
        loose = [url for url, policy in self.policies.items() if "unsafe-inline" in policy]
        assert not loose, f"pages allowing unsafe-inline: {loose}"
        assert not self.violations, "CSP violations:\n" + "\n".join(self.violations)


@pytest.fixture
def watched(new_page):
    """(`new_page` that watches its pages for CSP violations, the Watch they report to)."""
    watch = Watch()

    def open_page(**options):
        page = new_page(**options)
        page.expose_function("__reportCspViolation", lambda text: watch.violations.append(text))
        page.add_init_script(REPORTER)

        def on_console(message):
            if "Content Security Policy" in message.text:
                watch.violations.append(f"console: {message.text}")

        def on_response(response):
            if response.request.resource_type == "document":
                watch.policies[response.url] = response.headers.get("content-security-policy")

        page.on("console", on_console)
        page.on("response", on_response)
        return page

    return open_page, watch


def test_the_watch_sees_an_inline_style_the_policy_refuses(live_url, watched):
    # the check below would be worth nothing if it could not see a violation
    new_page, watch = watched
    page = new_page()
    page.goto(f"{live_url}/")
    page.evaluate(
        "document.head.insertAdjacentHTML('beforeend', '<style>body { color: red }</style>')"
    )
    page.wait_for_timeout(300)
    assert any(v.startswith("style-src") for v in watch.violations), watch.violations
    assert page.evaluate("getComputedStyle(document.body).color") != "rgb(255, 0, 0)"


def test_a_repeating_group_works_under_the_policy(live_url, dogs, watched):  # noqa: F811
    new_page, watch = watched
    repeat_flow(live_url, dogs, new_page)
    watch.assert_clean()


def test_booking_an_appointment_works_under_the_policy(
    live_url,
    office,  # noqa: F811
    watched,
    assert_accessible,
):
    new_page, watch = watched
    booking_flow(live_url, office, new_page, assert_accessible)
    watch.assert_clean()


def test_paying_a_fee_works_under_the_policy(
    live_url,
    fishing_form_with_fee,  # noqa: F811
    watched,
    assert_accessible,
):
    new_page, watch = watched
    payment_flow(live_url, fishing_form_with_fee, new_page, assert_accessible)
    watch.assert_clean()


def test_the_back_office_works_under_the_policy(
    live_url,
    data,  # noqa: F811
    watched,
    assert_accessible,
):
    new_page, watch = watched
    back_office_flow(live_url, data, new_page, assert_accessible, "de")
    watch.assert_clean()


def _admin_pages(page, index: str, limit: int = 12) -> list[str]:
    """The index, and the list and add pages its app list links to (at most `limit`)."""
    page.goto(index)
    links = page.eval_on_selector_all(
        "#content-main a[href]", "links => links.map(link => link.href)"
    )
    return [index, *dict.fromkeys(link for link in links if link.startswith(index))][:limit]


def test_the_django_admin_pages_work_under_the_policy(
    live_url,
    data,  # noqa: F811
    portal_server,
    watched,
):
    from portalwerk.platform.accounts.models import Role, User

    new_page, watch = watched
    # the back office of the tenant admin: lists, add forms (admin JavaScript), and a search
    admin = Visitor(new_page, lambda page: None, "de", DESKTOP)
    admin.sign_in(live_url, ADMIN)
    # /backoffice/ is the workspace's start page; the admin's pages start at an app's index
    pages = [
        f"{live_url}/backoffice/",
        *_admin_pages(admin.page, f"{live_url}/backoffice/catalog/"),
    ]
    for url in pages:
        assert admin.page.goto(url).status == 200, url
    assert any(url.endswith("/add/") for url in pages), pages
    clerk = Visitor(new_page, lambda page: None, "de", DESKTOP)
    clerk.sign_in(live_url, CLERK)
    assert clerk.page.goto(f"{live_url}/backoffice/").status == 200
    # the operator console on the platform host
    connection.set_schema_to_public()
    User.objects.create_user(OPERATOR, PASSWORD, role=Role.OPERATOR)
    try:
        base = portal_server.url("localhost", "")
        operator = Visitor(new_page, lambda page: None, "de", DESKTOP)
        operator.sign_in(base, OPERATOR)
        console = _admin_pages(operator.page, f"{base}/admin/")
        for url in console:
            assert operator.page.goto(url).status == 200, url
        assert len(console) > 2, console
    finally:
        connection.set_schema_to_public()
        # not through the ORM: its cascade would look for the tenant tables that name users
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM accounts_user WHERE email = %s", [OPERATOR])
    watch.assert_clean()
