"""The citizen portal in a real browser: axe-core finds no WCAG 2.1 A/AA violation on any page
type, in German and English, at 1280 px and at 320 px (reflow), and the portal works by keyboard."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django_tenants.utils import schema_context

from portalwerk.platform.catalog import demo
from portalwerk.platform.catalog.models import Category, Office, PortalSettings, Service
from portalwerk.platform.library.models import ServiceTemplate
from portalwerk.tenants.models import Tenant

# django_db makes pytest-django create the test database when only browser tests are selected;
# the pages' data itself is committed by `demo_catalogue`, which the server's threads can see.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

MEMBER = "alpha.localhost"
PAGE_TYPES = {
    "home": "/",
    "service": "/services/wohnsitz-anmelden/",
    "office": "/offices/buergerbuero/",
    "search results": "/search/?q=Hundesteuer",
    "search without results": "/search/?q=xqzjvwpk",
    "search empty": "/search/",
    "a to z": "/services/",
    "category": "/life-situations/umzug-und-wohnen/",
    "imprint": "/imprint/",
    "privacy notice": "/privacy/",
    "accessibility statement": "/accessibility/",
    "page not found": "/services/gibt-es-nicht/",
}


@pytest.fixture(scope="module")
def demo_catalogue(portal_server, django_db_blocker):
    """The demo catalogue committed into the test district and its member for the browser to
    see, removed again afterwards so that the other suites start from empty catalogues."""
    with django_db_blocker.unblock():
        tenants = [Tenant.objects.get(slug="testland"), Tenant.objects.get(slug="alpha")]
        demo.seed(tenants)
        cache.clear()
        try:
            yield tenants
        finally:
            for tenant in tenants:
                with schema_context(tenant.schema_name):
                    Service.objects.all().delete()
                    Office.objects.all().delete()
                    Category.objects.all().delete()
                    PortalSettings.objects.all().delete()
            with schema_context("public"):
                ServiceTemplate.objects.all().delete()
            cache.clear()


def open_page(page, server, path: str, language: str):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": server.url(MEMBER)}]
    )
    response = page.goto(server.url(MEMBER, path))
    expected = 404 if "gibt-es-nicht" in path else 200
    assert response.status == expected, f"{path}: {response.status}"
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_axe_finds_no_violations_at_desktop_width_and_320px(
    demo_catalogue, portal_server, browser_page, axe_violations, page_type, language
):
    # given a page type of the member's portal in one language
    open_page(browser_page, portal_server, PAGE_TYPES[page_type], language)
    # when axe-core checks it at desktop width
    count, report = axe_violations(browser_page)
    # then it finds nothing
    assert count == 0, report
    # and at 320 px the content reflows without horizontal scrolling, still without violations
    browser_page.set_viewport_size({"width": 320, "height": 640})
    browser_page.reload()
    count, report = axe_violations(browser_page)
    assert count == 0, report
    overflow = browser_page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 320, f"{page_type} scrolls sideways at 320 px ({overflow} px wide)"


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            const box = el.getBoundingClientRect();
            return {
                tag: el.tagName.toLowerCase(), id: el.id, text: el.textContent.trim(),
                href: el.getAttribute('href') || '',
                outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
                visible: box.width > 0 && box.height > 0 && box.left >= 0 && box.top >= 0,
            };
        }"""
    )


def assert_focus_visible(state: dict) -> None:
    assert state["visible"], state
    assert state["outline"] != "none" and state["outlineWidth"] >= 2, state


def test_keyboard_only_skip_link_search_and_reach_a_service(
    demo_catalogue, portal_server, browser_page
):
    page = browser_page
    open_page(page, portal_server, "/", "de")
    # the first Tab lands on the visible skip link
    page.keyboard.press("Tab")
    state = focused(page)
    assert state["href"] == "#main"
    assert_focus_visible(state)
    # Enter moves focus to the main content
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    # the next Tab reaches the search box; typing and Enter searches
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "search-q"
    assert_focus_visible(focused(page))
    page.keyboard.type("Hundesteuer")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=Hundesteuer")
    # tabbing on, in order and always visibly, reaches the first result
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        state = focused(page)
        assert_focus_visible(state)
        seen.append(state["href"] or state["id"] or state["tag"])
        if state["href"] == "/services/hundesteuer-anmelden/":
            break
    else:
        pytest.fail(f"the result was never focused; focus went through {seen}")
    # the skip link comes before the header links, which come before the results
    assert seen.index("/services/") < seen.index("/services/hundesteuer-anmelden/")
    page.keyboard.press("Enter")
    page.wait_for_url("**/services/hundesteuer-anmelden/")
    assert page.locator("h1").inner_text() == "Hund zur Hundesteuer anmelden"


def test_keyboard_only_language_switch(demo_catalogue, portal_server, browser_page):
    page = browser_page
    open_page(page, portal_server, "/services/wohnsitz-anmelden/", "de")
    for _ in range(15):
        page.keyboard.press("Tab")
        if focused(page)["text"] == "English":
            break
    else:
        pytest.fail("the language switch was not reachable by keyboard")
    assert_focus_visible(focused(page))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Register your residence"
    assert page.url.endswith("/services/wohnsitz-anmelden/")


def test_the_axe_check_reports_a_real_violation(chromium, browser_page, axe_violations):
    # given a page with an unlabeled input and an image without alternative text
    browser_page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><h1>t</h1>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></body>'
        "</html>"
    )
    # when axe-core checks it, then it reports them (so a zero above means something)
    count, report = axe_violations(browser_page)
    assert count >= 2, report
    assert "image-alt" in report and "label" in report
