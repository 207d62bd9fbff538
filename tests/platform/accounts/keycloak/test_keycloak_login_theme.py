"""Keycloak's login page in the `portalwerk` theme, fetched as a browser would after the portal
sent it there: it names the tenant whose host started the sign-in and uses the tenant's colour
only where white text on it reaches WCAG AA, by the same contrast rule as the portal's."""

from __future__ import annotations

import re

import pytest
from keycloak_theme import branded

from portalwerk.platform.catalog.colours import WHITE, contrast_ratio
from tests.platform.accounts.keycloak.conftest import KeycloakBrowser

pytestmark = pytest.mark.integration

FALLBACK = "#00548a"


def login_page(client, language: str = "de") -> str:
    start = client.get("/accounts/keycloak/sign-in/", {"next": "/backoffice/"})
    browser = KeycloakBrowser()
    browser.session.headers["Accept-Language"] = language
    page = browser.get(start["Location"])
    assert page.status_code == 200
    return page.text


def brand_colour(page: str) -> str:
    return re.search(r"--portalwerk-brand: (#[0-9a-f]{6});", page).group(1)


@pytest.mark.parametrize(
    "colour",
    ["#767676", "#777777", "#8A1538", "#ffcc00", "#0b0c0c", "red; } body { color: red", ""],
)
def test_the_tenants_colour_is_used_only_when_it_keeps_the_contrast_rules(
    realm, tenant_a, client_for, colour
):
    with branded(realm, "alpha", name="Stadt Alpha", colour=colour):
        page = login_page(client_for(tenant_a))

    acceptable = bool(re.fullmatch(r"#[0-9a-fA-F]{6}", colour)) and (
        contrast_ratio(colour.lower(), WHITE) >= 4.5
    )
    assert brand_colour(page) == (colour.lower() if acceptable else FALLBACK)


@pytest.mark.parametrize(
    ("language", "title"), [("de", "Anmeldung bei Stadt Alpha"), ("en", "Sign in to Stadt Alpha")]
)
def test_the_login_page_names_the_tenant_whose_host_sent_the_person(
    realm, tenant_a, tenant_b, client_for, language, title
):
    with branded(realm, "alpha", name="Stadt Alpha", colour="#8a1538"):
        page = login_page(client_for(tenant_a), language)
        other = login_page(client_for(tenant_b), language)

    assert f'<html class="portalwerk-login" lang="{language}">' in page
    assert f"<title>{title}</title>" in page
    assert 'id="portalwerk-tenant">Stadt Alpha<' in page
    assert "Stadt Alpha" not in other and "#8a1538" not in other
