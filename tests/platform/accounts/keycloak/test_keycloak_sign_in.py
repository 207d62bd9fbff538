"""Signing in through the real Keycloak (authorization code with PKCE): clerks land in their own
tenant's back office only, users are made and updated from the claims, roles come from
Keycloak's client roles, and whom Keycloak no longer lists is deactivated."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.identity.contrib.keycloak import members
from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.authz.actors import system
from tests.platform.accounts.keycloak.conftest import KeycloakBrowser, sign_in

pytestmark = pytest.mark.integration


def users_in(tenant, **filters):
    with schema_context(tenant.schema_name):
        return list(User.objects.filter(**filters))


def test_a_clerk_signs_in_through_keycloak_and_lands_in_the_back_office(
    realm, username, tenant_a, client_for
):
    keycloak_id = realm.add_user(
        username, organizations=("alpha",), roles=("alpha:processor",), first_name="Pia"
    )
    client = client_for(tenant_a)

    start = client.get("/accounts/keycloak/sign-in/", {"next": "/backoffice/"})
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["redirect_uri"] == ["http://alpha.localhost/accounts/keycloak/callback/"]
    callback = KeycloakBrowser().sign_in(start["Location"], username)
    landed = client.get(callback.replace("http://alpha.localhost", ""))

    assert landed.status_code == 302 and landed["Location"] == "/backoffice/"
    assert client.get("/backoffice/").status_code == 200
    [user] = users_in(tenant_a, external_id=keycloak_id)
    assert (user.identity_provider, user.role, user.email, user.full_name) == (
        "keycloak",
        Role.CLERK_PROCESSOR,
        f"{username}@kc.example",
        "Pia Keycloak",
    )
    assert not user.has_usable_password()


def test_the_sign_in_page_offers_single_sign_on(tenant_a, client_for):
    page = client_for(tenant_a).get("/accounts/sign-in/?next=/backoffice/")
    assert b'href="/accounts/keycloak/sign-in/?next=%2Fbackoffice%2F"' in page.content


def test_a_clerk_of_tenant_a_cannot_enter_the_back_office_of_tenant_b(
    realm, username, tenant_a, tenant_b, client_for
):
    realm.add_user(username, organizations=("alpha",), roles=("alpha:tenant_admin",))
    client = client_for(tenant_b)

    refused = sign_in(client, username, next_url="/backoffice/")

    assert refused.status_code == 403
    assert "does not belong to Gemeinde Beta" in refused.content.decode()
    assert users_in(tenant_b, email=f"{username}@kc.example") == []
    assert client.get("/backoffice/").status_code == 302  # still signed out there


def test_a_role_for_another_tenant_does_not_open_this_one(realm, username, tenant_b, client_for):
    # a member of B's organization whose only role is one of A's
    realm.add_user(username, organizations=("beta",), roles=("alpha:tenant_admin",))

    refused = sign_in(client_for(tenant_b), username)

    assert refused.status_code == 403
    assert "has no role in Gemeinde Beta" in refused.content.decode()
    assert users_in(tenant_b, email=f"{username}@kc.example") == []


def test_the_user_is_updated_from_keycloak_at_each_sign_in(realm, username, tenant_a, client_for):
    keycloak_id = realm.add_user(username, organizations=("alpha",), roles=("alpha:reader",))
    sign_in(client_for(tenant_a), username)
    [first] = users_in(tenant_a, external_id=keycloak_id)
    assert first.role == Role.CLERK_READER

    realm.admin.update_user(keycloak_id, {"firstName": "Renate", "lastName": "Neu"})
    realm.set_roles(keycloak_id, ("alpha:reader", "alpha:tenant_admin"))
    sign_in(client_for(tenant_a), username)

    [again] = users_in(tenant_a, external_id=keycloak_id)
    assert (again.pk, again.role, again.full_name) == (first.pk, Role.TENANT_ADMIN, "Renate Neu")


def test_whom_keycloak_no_longer_lists_is_deactivated(realm, username, tenant_a, client_for):
    keycloak_id = realm.add_user(username, organizations=("alpha",), roles=("alpha:processor",))
    sign_in(client_for(tenant_a), username)

    realm.admin.organization_user_remove(keycloak_id, realm.organizations["alpha"])
    with schema_context(tenant_a.schema_name):
        gone = members.deactivate_unlisted(actor=system("keycloak-sync"))
    refused = sign_in(client_for(tenant_a), username)

    assert [user.external_id for user in gone] == [keycloak_id]
    [user] = users_in(tenant_a, external_id=keycloak_id)
    assert not user.is_active
    assert refused.status_code == 403


def test_a_member_removed_from_the_organization_is_refused_and_deactivated_at_sign_in(
    realm, username, tenant_a, client_for
):
    keycloak_id = realm.add_user(username, organizations=("alpha",), roles=("alpha:processor",))
    sign_in(client_for(tenant_a), username)
    realm.admin.organization_user_remove(keycloak_id, realm.organizations["alpha"])

    client = client_for(tenant_a)
    refused = sign_in(client, username)

    assert refused.status_code == 403
    assert not users_in(tenant_a, external_id=keycloak_id)[0].is_active
    assert client.get("/backoffice/").status_code == 302


def test_a_user_disabled_in_keycloak_is_deactivated_here(realm, username, tenant_a, client_for):
    keycloak_id = realm.add_user(username, organizations=("alpha",), roles=("alpha:processor",))
    sign_in(client_for(tenant_a), username)

    realm.admin.update_user(keycloak_id, {"enabled": False})
    with schema_context(tenant_a.schema_name):
        members.deactivate_unlisted(actor=system("keycloak-sync"))

    assert not users_in(tenant_a, external_id=keycloak_id)[0].is_active


def test_an_operator_signs_in_on_the_base_host_and_a_clerk_cannot(
    realm, username, platform_tenant, client_for
):
    operator_id = realm.add_user(username, roles=("platform:operator",))
    clerk = realm.add_user(f"{username}-c", organizations=("alpha",), roles=("alpha:tenant_admin",))

    landed = sign_in(client_for("localhost"), username, next_url="/admin/")
    refused = sign_in(client_for("localhost"), f"{username}-c", next_url="/admin/")

    assert landed.status_code == 302 and landed["Location"] == "/admin/"
    [operator] = users_in(platform_tenant, external_id=operator_id)
    assert operator.role == Role.OPERATOR
    assert refused.status_code == 403
    assert users_in(platform_tenant, external_id=clerk) == []
