"""The identity module's state-account brokers and login theme, and the tenant module's own
client, directory federation and identity provider, applied for real (the test run's Keycloak,
its OpenLDAP, the provider from the mirror): what Keycloak then holds is what was declared, a
clerk of the directory signs in through the federation Terraform made, a second plan shows no
changes, and destroying leaves none of it behind."""

from __future__ import annotations

import json
import uuid

import pytest
from django_tenants.utils import schema_context
from keycloak import KeycloakOpenID

from portalwerk.infra import services
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import system
from portalwerk.platform.catalog.models import PortalSettings

pytestmark = pytest.mark.integration

LDAP_SECRET_ENV = "PORTALWERK_TEST_ALPHA_LDAP_PASSWORD"
IDP_SECRET_ENV = "PORTALWERK_TEST_ALPHA_IDP_SECRET"


def signing_certificate(master, realm: str) -> str:
    master.change_current_realm(realm)
    keys = master.get_keys()["keys"]
    return next(k["certificate"] for k in keys if k.get("algorithm") == "RS256")


def operator_config(keycloak, master, ldap_directory) -> dict:
    import state_accounts

    url = keycloak.server_url
    return {
        "state_accounts": {
            state_accounts.PERSON: {
                "display_name": "Servicekonto",
                "entity_id": f"{url}/realms/{state_accounts.PERSON}",
                "single_sign_on_service_url": f"{url}/realms/{state_accounts.PERSON}/protocol/saml",
                "signing_certificate": signing_certificate(master, state_accounts.PERSON),
            }
        },
        "tenants": {
            "alpha": {
                "directory": {
                    "url": ldap_directory.url,
                    "bind_dn": ldap_directory.reader_dn("alpha"),
                    "bind_credential_env": LDAP_SECRET_ENV,
                    "users_dn": ldap_directory.people_dn("alpha"),
                    "groups_dn": ldap_directory.groups_dn("alpha"),
                },
                "identity_provider": {
                    "display_name": "Rathaus Alpha",
                    "authorization_url": f"{url}/realms/rathaus/protocol/openid-connect/auth",
                    "token_url": f"{url}/realms/rathaus/protocol/openid-connect/token",
                    "client_id": "alpha-portalwerk",
                    "client_secret_env": IDP_SECRET_ENV,
                    "email_domain": "rathaus-alpha.example",
                },
            }
        },
    }


@pytest.fixture
def configured(terraform, keycloak, ldap_directory, settings, monkeypatch, tmp_path):
    import ldap_directory as directories

    realm, master = terraform
    path = tmp_path / "terraform.json"
    path.write_text(json.dumps(operator_config(keycloak, master, ldap_directory)))
    settings.PORTALWERK_TF_CONFIG = str(path)
    monkeypatch.setenv(LDAP_SECRET_ENV, directories.READER_PASSWORD)
    monkeypatch.setenv(IDP_SECRET_ENV, "idp-secret-not-for-production")
    master.change_current_realm("master")
    return realm, master


def test_brokers_theme_client_directory_and_own_idp_are_applied_and_destroyed(
    configured, tenant_a, ldap_directory, keycloak
):
    import ldap_directory as directories

    realm, master = configured
    actor = system("test")
    with schema_context(tenant_a.schema_name):
        PortalSettings.objects.update_or_create(
            singleton=True, defaults={"primary_colour": "#7a1f5c"}
        )

    services.apply(actor=actor)
    services.apply(actor=actor, slug="alpha")
    master.change_current_realm(realm)

    # identity: the login theme, the state account and what it carries into the token
    assert master.get_realm(realm)["loginTheme"] == "portalwerk"
    broker = master.get_idp("servicekonto")
    assert broker["providerId"] == "saml"
    assert broker["config"]["forceAuthn"] == "true"
    assert broker["config"]["syncMode"] == "FORCE"
    assert broker["config"]["idpEntityId"] == f"{keycloak.server_url}/realms/servicekonto"
    mappers = {m["name"]: m for m in master.get_idp_mappers("servicekonto")}
    assert mappers["level_of_assurance (FORCE)"]["config"]["user.attribute"] == (
        "level_of_assurance"
    )
    assert mappers["given_name (FORCE)"]["config"]["user.attribute"] == "firstName"
    assert mappers["username"]["config"]["template"] == "${ALIAS}.${NAMEID}"
    profile = {a["name"]: a for a in master.get_realm_users_profile()["attributes"]}
    assert profile["level_of_assurance"]["permissions"] == {"view": ["admin"], "edit": ["admin"]}
    assert {"username", "email", "firstName", "lastName", "organisation_id"} <= set(profile)
    [platform] = [c for c in master.get_clients() if c["clientId"] == "portalwerk-portal"]
    claims = {m["config"].get("claim.name") for m in master.get_mappers_from_client(platform["id"])}
    assert {"identity_provider", "level_of_assurance", "birthdate", "organisation_name"} <= claims

    # tenant: its own client on its hosts, recorded by the platform without the secret
    [client] = [c for c in master.get_clients() if c["clientId"] == "alpha-portal"]
    hosts = sorted(tenant_a.domains.values_list("domain", flat=True))
    assert set(client["redirectUris"]) == {
        f"http://{host}/accounts/keycloak/{page}/"
        for host in hosts
        for page in ("callback", "sign-in")
    }
    recorded = services.tenant_client("alpha")
    assert recorded.client_id == "alpha-portal"
    assert recorded.secret_reference == "terraform:tenant/alpha#client_secret"
    assert (
        services.tenant_client_secret(recorded.secret_reference)
        == (master.get_client_secrets(client["id"])["value"])
    )
    applied = Entry.objects.filter(action="infra.applied").order_by("-id").first()
    assert applied.detail["client_id"] == "alpha-portal"
    assert master.get_client_secrets(client["id"])["value"] not in json.dumps(applied.detail)

    # tenant: the directory, read-only, its groups giving the tenant's roles
    [federation] = master.get_components({"type": directories.USER_STORAGE, "name": "alpha"})
    assert federation["config"]["editMode"] == ["READ_ONLY"]
    assert federation["config"]["importEnabled"] == ["true"]
    assert federation["config"]["cachePolicy"] == ["NO_CACHE"]
    [group_mapper] = [
        m
        for m in master.get_components({"parent": federation["id"]})
        if m["providerId"] == "group-ldap-mapper"
    ]
    assert group_mapper["config"]["groups.path"] == ["/alpha"]
    for group, role in directories.ROLE_OF_GROUP.items():
        held = master.get_group_client_roles(
            master.get_group_by_path(f"/alpha/{group}")["id"], platform["id"]
        )
        assert [r["name"] for r in held] == [f"alpha:{role}"]

    # tenant: its own identity provider, linked to its organization
    [organization] = master.get_organizations({"search": "alpha"})
    own = master.get_idp("alpha-idp")
    assert own["providerId"] == "oidc"
    linked = master.get_organization_idps(organization["id"])
    assert [idp["alias"] for idp in linked] == ["alpha-idp"]
    assert own["config"]["kc.org.domain"] == "rathaus-alpha.example"
    assert "rathaus-alpha.example" in {d["name"] for d in organization["domains"]}
    # the login theme's colour of the tenant
    attributes = master.get_organization(organization["id"])["attributes"]
    assert attributes["portalwerk-colour"] == ["#7a1f5c"]

    # a clerk of the directory signs in through the federation Terraform made
    uid = f"tf-{uuid.uuid4().hex[:6]}"
    ldap_directory.add_person("alpha", uid, groups=("portal-sachbearbeitung",))
    try:
        token = KeycloakOpenID(
            server_url=keycloak.server_url, realm_name=realm, client_id="admin-cli"
        ).token(uid, directories.PASSWORD)
        assert token["access_token"]
        [user] = master.get_users({"username": uid, "exact": True})
        assert user["federationLink"] == federation["id"]
        # names as the directory has them (givenName, not the whole cn)
        assert (user["firstName"], user["lastName"]) == ("Dana", "Direktor")
        roles = master.get_composite_client_roles_of_user(user["id"], platform["id"])
        assert "alpha:processor" in {r["name"] for r in roles}

        assert services.plan().in_sync and services.plan("alpha").in_sync

        services.destroy(actor=actor, slug="alpha")
        assert not master.get_organizations({"search": "alpha"})
        assert "alpha-portal" not in {c["clientId"] for c in master.get_clients()}
        assert not master.get_components({"type": directories.USER_STORAGE})
        assert "alpha-idp" not in {i["alias"] for i in master.get_idps()}
        assert "alpha" not in {g["name"] for g in master.get_groups()}
        # the directory's people Keycloak imported go with the provider (still in the directory)
        assert not master.get_users({"username": uid, "exact": True})
        assert services.tenant_client("alpha") is None
        services.destroy(actor=actor)
        master.change_current_realm("master")
        assert realm not in {r["realm"] for r in master.get_realms()}
    finally:
        ldap_directory.delete_person("alpha", uid, groups=("portal-sachbearbeitung",))
