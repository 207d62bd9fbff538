"""Clerks sign in with their directory account: Keycloak federates each tenant's directory (a
real OpenLDAP server, tests/ldap_directory.py), the directory group decides the role, the
directory stays the source (a change there counts at the next sign-in), and a directory is
only ever its own tenant's."""

from __future__ import annotations

import html
import re
import uuid

import pytest
from django.conf import settings
from django_tenants.utils import schema_context
from ldap_directory import PASSWORD

from portalwerk.platform.accounts.identity.contrib.keycloak.directory import belongs_to
from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.models import Entry
from tests.platform.accounts.keycloak.conftest import KeycloakBrowser, local_path

pytestmark = pytest.mark.integration


@pytest.fixture
def directory(federated_directories):
    return federated_directories[0]


@pytest.fixture
def uid():
    return f"dir-{uuid.uuid4().hex[:10]}"


def users_in(tenant, **filters):
    with schema_context(tenant.schema_name):
        return list(User.objects.filter(**filters))


def directory_sign_in(client, uid, *, password=PASSWORD, next_url="/backoffice/"):
    """Start on the portal, sign in at Keycloak with the directory password, come back (and,
    where the portal asks Keycloak once more, follow that too): the portal's last answer."""
    browser = KeycloakBrowser()
    client.defaults.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
    start = client.get("/accounts/keycloak/sign-in/", {"next": next_url})
    answer = client.get(local_path(browser.sign_in(start["Location"], uid, password)))
    for _again in range(3):
        if answer.status_code != 302 or not answer["Location"].startswith(
            settings.KEYCLOAK_SERVER_URL
        ):
            break
        from_session = browser.get(answer["Location"])  # no form: Keycloak knows them now
        assert from_session.status_code == 302, from_session.text[:300]
        answer = client.get(local_path(from_session.headers["Location"]))
    return answer


def organizations_of(realm, uid) -> set[str]:
    [person] = realm.admin.get_users({"username": uid, "exact": "true"})
    return {o["alias"] for o in realm.admin.get_user_organizations(person["id"])}


@pytest.mark.parametrize(
    ("group", "role"),
    [
        ("portal-sachbearbeitung", Role.CLERK_PROCESSOR),
        ("portal-lesend", Role.CLERK_READER),
        ("portal-admin", Role.TENANT_ADMIN),
    ],
)
def test_a_clerk_signs_in_with_the_directory_password_and_gets_the_role_of_their_group(
    directory, realm, uid, tenant_a, client_for, group, role
):
    mail = directory.add_person("alpha", uid, groups=(group,), first_name="Jana")
    client = client_for(tenant_a)

    landed = directory_sign_in(client, uid)

    assert landed.status_code == 302 and landed["Location"] == "/backoffice/"
    assert client.get("/backoffice/").status_code == 200
    [user] = users_in(tenant_a, email=mail)
    assert (user.identity_provider, user.role, user.full_name, user.is_active) == (
        "keycloak",
        role,
        "Jana Direktor",
        True,
    )
    assert not user.has_usable_password()
    assert organizations_of(realm, uid) == {"alpha"}


def test_a_directory_user_without_a_portal_group_gets_no_access(
    directory, realm, uid, tenant_a, client_for
):
    mail = directory.add_person("alpha", uid)  # in the directory, in none of the groups

    refused = directory_sign_in(client_for(tenant_a), uid)

    assert refused.status_code == 403
    assert "has no role in Stadt Alpha" in refused.content.decode()
    assert users_in(tenant_a, email=mail) == []


def test_a_clerk_removed_from_the_directory_group_loses_access_at_the_next_sign_in(
    directory, uid, tenant_a, client_for
):
    mail = directory.add_person("alpha", uid, groups=("portal-sachbearbeitung",))
    assert directory_sign_in(client_for(tenant_a), uid).status_code == 302
    [user] = users_in(tenant_a, email=mail)

    directory.remove_from_group("alpha", uid, "portal-sachbearbeitung")
    client = client_for(tenant_a)
    refused = directory_sign_in(client, uid)

    assert refused.status_code == 403
    assert "has no role in Stadt Alpha" in refused.content.decode()
    assert client.get("/backoffice/").status_code == 302  # not signed in
    assert not users_in(tenant_a, pk=user.pk)[0].is_active
    with schema_context(tenant_a.schema_name):
        assert Entry.objects.filter(
            action=Action.STAFF_DEACTIVATED, object_id=str(user.pk)
        ).exists()


def test_a_clerk_moved_to_another_directory_group_has_the_new_role_at_the_next_sign_in(
    directory, uid, tenant_a, client_for
):
    mail = directory.add_person("alpha", uid, groups=("portal-lesend",))
    directory_sign_in(client_for(tenant_a), uid)

    directory.remove_from_group("alpha", uid, "portal-lesend")
    directory.add_to_group("alpha", uid, "portal-admin")
    directory_sign_in(client_for(tenant_a), uid)

    [user] = users_in(tenant_a, email=mail)
    assert (user.role, user.is_active) == (Role.TENANT_ADMIN, True)


def test_a_directory_user_of_tenant_a_cannot_enter_the_back_office_of_tenant_b(
    directory, realm, uid, tenant_a, tenant_b, client_for
):
    mail = directory.add_person("alpha", uid, groups=("portal-admin",))
    client = client_for(tenant_b)

    refused = directory_sign_in(client, uid)
    assert directory_sign_in(client_for(tenant_a), uid).status_code == 302  # A's, as a member
    refused_again = directory_sign_in(client, uid)

    for answer in (refused, refused_again):
        assert answer.status_code == 403
        assert "does not belong to Gemeinde Beta" in answer.content.decode()
    assert users_in(tenant_b, email=mail) == []
    assert client.get("/backoffice/").status_code == 302
    assert organizations_of(realm, uid) == {"alpha"}


def fill_in_keycloak_form(browser, authorize_url, username, password):
    """Keycloak's login form filled in (username, then password) and sent: its last page."""
    page = browser.get(authorize_url)
    for _step in range(2):
        action = re.search(r'<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"', page.text)
        assert action, page.text[:300]
        fields = set(re.findall(r'<input[^>]*name="([^"]+)"', page.text))
        data = {"username": username, "password": password}
        page = browser.session.post(
            html.unescape(action.group(1)),
            data={name: value for name, value in data.items() if name in fields},
            allow_redirects=False,
            timeout=30,
        )
        browser._keep_cookies()
        if "password" in fields:
            break
    return page


def test_a_wrong_directory_password_is_refused_by_keycloak_and_nothing_is_created(
    directory, realm, uid, tenant_a, client_for
):
    mail = directory.add_person("alpha", uid, groups=("portal-admin",))
    client = client_for(tenant_a)
    start = client.get("/accounts/keycloak/sign-in/", {"next": "/backoffice/"})

    page = fill_in_keycloak_form(KeycloakBrowser(), start["Location"], uid, "Falsch-2026!")

    assert page.status_code == 200  # Keycloak's page again, no way back to the portal
    assert "Invalid username or password." in html.unescape(page.text)
    assert users_in(tenant_a, email=mail) == []
    assert client.get("/backoffice/").status_code == 302
    assert organizations_of(realm, uid) == set()


def test_a_clerk_deleted_from_the_directory_cannot_sign_in_any_more(
    directory, realm, uid, tenant_a, client_for
):
    directory.add_person("alpha", uid, groups=("portal-sachbearbeitung",))
    assert directory_sign_in(client_for(tenant_a), uid).status_code == 302

    directory.delete_person("alpha", uid, groups=("portal-sachbearbeitung",))
    client = client_for(tenant_a)
    start = client.get("/accounts/keycloak/sign-in/", {"next": "/backoffice/"})
    page = fill_in_keycloak_form(KeycloakBrowser(), start["Location"], uid, PASSWORD)

    # Keycloak's sign-in form again, no way back to the portal (with the tenant's organization
    # asked for, Keycloak does not say whether the name exists)
    assert page.status_code == 200 and 'id="kc-form-login"' in page.text
    assert realm.admin.get_users({"username": uid, "exact": "true"}) == []


def test_a_deactivated_clerk_put_back_into_the_group_waits_for_the_tenant_admin(
    directory, uid, tenant_a, client_for
):
    from portalwerk.platform.accounts import staff
    from portalwerk.platform.authz.actors import system

    mail = directory.add_person("alpha", uid, groups=("portal-lesend",))
    directory_sign_in(client_for(tenant_a), uid)
    directory.remove_from_group("alpha", uid, "portal-lesend")
    directory_sign_in(client_for(tenant_a), uid)  # refused and deactivated
    directory.add_to_group("alpha", uid, "portal-lesend")

    waiting = directory_sign_in(client_for(tenant_a), uid)
    with schema_context(tenant_a.schema_name):
        staff.reactivate_staff(actor=system("tests"), member=mail)
    back = directory_sign_in(client_for(tenant_a), uid)

    assert waiting.status_code == 403
    assert "Your account here is deactivated" in waiting.content.decode()
    assert back.status_code == 302 and back["Location"] == "/backoffice/"


def test_only_the_provider_named_after_the_tenant_is_its_directory():
    ldap = {"providerId": "ldap"}
    assert belongs_to({**ldap, "name": "alpha"}, "alpha")
    assert belongs_to({**ldap, "name": "alpha:rathaus-ad"}, "alpha")
    assert not belongs_to({**ldap, "name": "alphabet"}, "alpha")
    assert not belongs_to({**ldap, "name": "beta"}, "alpha")
    assert not belongs_to({"providerId": "kerberos", "name": "alpha"}, "alpha")
