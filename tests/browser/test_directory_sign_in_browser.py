"""A clerk signs in by keyboard with the password of their directory (OpenLDAP federated by the
real Keycloak): from the portal's sign-in page to Keycloak's login page and back into the
back office, with the role their directory group gives."""

from __future__ import annotations

import re
import uuid

import pytest
from django_tenants.utils import schema_context
from ldap_directory import PASSWORD

from tests.browser.conftest import MEMBER
from tests.browser.keyboard import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.integration]


@pytest.fixture
def clerk_in_directory(federated_directories, keycloak, portal_server, live_db):
    """A person in Stadt Alpha's directory group `portal-sachbearbeitung`; Keycloak's client
    accepts the live server's address (its port) as a place to send the sign-in back to."""
    from portalwerk.platform.accounts.identity.contrib.keycloak.models import PortalSession
    from portalwerk.platform.accounts.models import User

    directory, _components = federated_directories
    uid = f"browser-{uuid.uuid4().hex[:8]}"
    mail = directory.add_person("alpha", uid, groups=("portal-sachbearbeitung",), first_name="Bea")
    client = keycloak.admin.get_client(keycloak.client_uuid)
    before = client["redirectUris"]
    callback = portal_server.url(MEMBER, "/accounts/keycloak/callback/")
    keycloak.admin.update_client(keycloak.client_uuid, {"redirectUris": [*before, callback]})
    yield uid, mail
    keycloak.admin.update_client(keycloak.client_uuid, {"redirectUris": before})
    with schema_context("t_alpha"):
        made = list(User.objects.filter(email=mail))
        User.objects.filter(pk__in=[user.pk for user in made]).delete()
    PortalSession.objects.filter(subject__in=[user.external_id for user in made]).delete()


def focus(page, element_id: str) -> None:
    """The field has the focus already (Keycloak's page focuses its first field) or gets it by
    Tab."""
    if page.evaluate("document.activeElement && document.activeElement.id") != element_id:
        tab_to(page, element_id)


def test_a_clerk_signs_in_with_the_directory_password_by_keyboard(
    clerk_in_directory, portal_server, new_page, assert_accessible
):
    from portalwerk.platform.accounts.models import Role, User

    uid, mail = clerk_in_directory
    page = new_page(locale="en-GB", extra_http_headers={"Accept-Language": "en"})
    page.goto(portal_server.url(MEMBER, "/accounts/sign-in/?next=/backoffice/"))

    for _ in range(60):  # Tab to "Sign in with single sign-on"
        page.keyboard.press("Tab")
        if "/accounts/keycloak/sign-in/" in (
            page.evaluate("document.activeElement && document.activeElement.href") or ""
        ):
            break
    else:
        raise AssertionError("the single sign-on link cannot be reached with the Tab key")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("#username")  # Keycloak's own login page
    focus(page, "username")
    page.keyboard.type(uid)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("#password")
    focus(page, "password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/backoffice/$"))

    assert page.url == portal_server.url(MEMBER, "/backoffice/")
    assert page.get_by_role("link", name="Inbox").count() >= 1  # the clerk's way to work
    assert_accessible(page)
    with schema_context("t_alpha"):
        user = User.objects.get(email=mail)
    assert (user.identity_provider, user.role, user.full_name) == (
        "keycloak",
        Role.CLERK_PROCESSOR,
        "Bea Direktor",
    )
