"""Single sign-on in the browser, by keyboard only: a clerk goes from the portal's sign-in page to
Keycloak's login page in the `portalwerk` theme (the tenant's name and colour, German and English),
signs in, lands in the back office and signs out of both. axe-core checks Keycloak's pages and
the portal's own sign-in and refusal pages; none scrolls sideways at 320 px.

The real Keycloak of the run (`keycloak` fixture) serves the theme from the repository
(tests/components.py copies it into the distribution's themes/ folder)."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

import pytest
from django_tenants.utils import schema_context
from keycloak_realm import PASSWORD
from keycloak_theme import branded, portal_at

from tests.browser.conftest import MEMBER
from tests.browser.keyboard import tab_to
from tests.conftest import TEST_TENANTS

pytestmark = [pytest.mark.browser, pytest.mark.integration]

TENANT_NAME = next(data.name for data in TEST_TENANTS if data.slug == "alpha")
COLOUR = "#8a1538"  # white on it: 8.9:1
COLOUR_RGB = "rgb(138, 21, 56)"
PORTAL_BLUE_RGB = "rgb(0, 84, 138)"  # the theme's own colour, #00548a
SSO = {"de": "Mit Single Sign-on anmelden", "en": "Sign in with single sign-on"}
LOCALES = {"de": "de-DE", "en": "en-GB"}
NARROW = {"width": 320, "height": 800}
WIDE = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.fixture(scope="module")
def sso(keycloak, portal_server):
    """Keycloak knows tenant A as "Stadt Alpha" in its colour, and the live portal's port."""
    base_url = portal_server.url(MEMBER, "")
    with portal_at(keycloak, base_url), branded(keycloak, "alpha", name=TENANT_NAME, colour=COLOUR):
        yield keycloak


def _forget(username: str) -> None:
    from portalwerk.platform.accounts.identity.contrib.keycloak.models import PortalSession
    from portalwerk.platform.accounts.models import User

    with schema_context("t_alpha"):
        users = User.objects.filter(email=f"{username}@kc.example")
        subjects = list(users.values_list("external_id", flat=True))
        users.delete()
    with schema_context("public"):
        PortalSession.objects.filter(subject__in=subjects).delete()


@pytest.fixture
def keycloak_user(sso, live_db):
    """`keycloak_user(organizations, roles)`: a new person in Keycloak, gone afterwards, with
    whatever the portal made of them."""
    made = []

    def make(organizations=("alpha",), roles=("alpha:processor",)) -> str:
        username = f"kc-browser-{uuid.uuid4().hex[:8]}"
        user_id = sso.add_user(
            username, organizations=organizations, roles=roles, last_name=username
        )
        made.append((username, user_id))
        return username

    yield make
    for username, user_id in made:
        sso.admin.delete_user(user_id)
        _forget(username)


def _keycloak(page) -> bool:
    from django.conf import settings

    return page.url.startswith(settings.KEYCLOAK_SERVER_URL)


def follow_link(page, name: str, limit: int = 60) -> None:
    """Tab to the link with this text and press Enter."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate(
            "document.activeElement && document.activeElement.tagName === 'A' ? "
            "document.activeElement.innerText.trim() : null"
        )
        if text == name:
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
    raise AssertionError(f"link {name!r} cannot be reached by Tab on {page.url}")


def press_sign_out(page, limit: int = 60) -> None:
    """Tab to the "Sign out" button (the portal header's sign-out form, on the workspace pages
    too; #logout-form on the admin's technical pages) and press Enter."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "!!(document.activeElement && document.activeElement.closest("
            "'#logout-form, form[action$=\"/accounts/sign-out/\"]'))"
        ):
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
    raise AssertionError(f"the Log out button cannot be reached by Tab on {page.url}")


def type_and_enter(page, field_id: str, text: str) -> None:
    """Keycloak puts the focus on the field (autofocus); else Tab to it. Then type, Enter."""
    if page.evaluate("document.activeElement && document.activeElement.id") != field_id:
        tab_to(page, field_id)
    page.keyboard.type(text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def start_single_sign_on(page, live_url: str, language: str) -> None:
    """From the back office, which asks for sign-in, to Keycloak's login page, by keyboard."""
    page.goto(f"{live_url}/backoffice/")
    assert urlsplit(page.url).path == "/accounts/sign-in/"
    follow_link(page, SSO[language])
    assert _keycloak(page), page.url


def header_colour(page) -> str:
    return page.evaluate(
        "getComputedStyle(document.querySelector('.portalwerk-header')).backgroundColor"
    )


def test_a_clerk_signs_in_through_keycloak_and_out_of_both_by_keyboard(
    live_url, keycloak_user, new_page
):
    username = keycloak_user()
    page = new_page(locale="de-DE")

    # when the clerk asks for the back office and chooses single sign-on
    start_single_sign_on(page, live_url, "de")
    # then Keycloak's login page is the tenant's: its name, its colour
    assert page.inner_text("#portalwerk-tenant") == TENANT_NAME
    assert page.title() == f"Anmeldung bei {TENANT_NAME}"
    assert header_colour(page) == COLOUR_RGB
    # when they give their user name, then their password, each with Enter
    type_and_enter(page, "username", username)
    assert _keycloak(page) and page.locator("#password").is_visible()
    type_and_enter(page, "password", PASSWORD)
    # then they are in the back office of tenant A, signed in
    page.wait_for_url(re.compile(re.escape(live_url) + "/backoffice/"))
    assert username in page.text_content(".site-header .who")  # their name, as Keycloak gave it

    # when they sign out with the keyboard
    press_sign_out(page)
    page.wait_for_url(f"{live_url}/")
    # then the portal asks for sign-in again, and so does Keycloak: its session has ended too
    start_single_sign_on(page, live_url, "de")
    assert page.locator("#username").is_visible()
    assert "/backoffice/" not in page.url


@pytest.mark.parametrize("language", ["de", "en"])
def test_keycloaks_login_pages_are_accessible_and_carry_the_tenant(
    live_url, keycloak_user, new_page, assert_accessible, language
):
    username = keycloak_user()
    page = new_page(locale=LOCALES[language])
    start_single_sign_on(page, live_url, language)

    for step in ("username", "wrong password", "password"):
        assert page.get_attribute("html", "lang") == language
        assert page.inner_text("#portalwerk-tenant") == TENANT_NAME
        assert_accessible(page)
        page.set_viewport_size(NARROW)
        assert not page.evaluate(WIDE), f"{step}: wider than 320 px"
        assert_accessible(page)
        page.set_viewport_size({"width": 1280, "height": 900})
        if step == "username":
            type_and_enter(page, "username", username)
        elif step == "wrong password":
            type_and_enter(page, "password", "not-the-password")
            assert page.locator("#input-error-password, .portalwerk-message").count() >= 1


def test_a_tenant_colour_that_fails_the_contrast_rules_is_not_used(sso, live_url, new_page):
    with branded(sso, "alpha", name=TENANT_NAME, colour="#ffcc00"):  # white on it: 1.6:1
        page = new_page(locale="en-GB")
        start_single_sign_on(page, live_url, "en")
        assert header_colour(page) == PORTAL_BLUE_RGB
        assert page.inner_text("#portalwerk-tenant") == TENANT_NAME


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_portals_sign_in_and_refusal_pages_are_accessible(
    live_url, keycloak_user, new_page, assert_accessible, language
):
    outsider = keycloak_user(organizations=("beta",), roles=("beta:processor",))
    page = new_page(locale=LOCALES[language])
    pages = []
    # the sign-in page with the single sign-on link
    page.goto(f"{live_url}/accounts/sign-in/?next=/backoffice/")
    pages.append(page.url)
    # a sign-in answer that was never started here
    response = page.goto(f"{live_url}/accounts/keycloak/callback/?state=forged&code=x")
    assert response.status == 400
    pages.append(page.url)
    for url in pages:
        page.goto(url)
        assert_accessible(page)
        page.set_viewport_size(NARROW)
        assert not page.evaluate(WIDE), url
        page.set_viewport_size({"width": 1280, "height": 900})
    # someone of another tenant, refused after Keycloak let them in
    start_single_sign_on(page, live_url, language)
    type_and_enter(page, "username", outsider)
    type_and_enter(page, "password", PASSWORD)
    page.wait_for_url(re.compile(re.escape(live_url) + "/accounts/keycloak/callback/"))
    assert TENANT_NAME in page.inner_text("main")
    assert_accessible(page)
    page.set_viewport_size(NARROW)
    assert not page.evaluate(WIDE)
