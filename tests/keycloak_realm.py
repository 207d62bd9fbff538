"""The Keycloak objects the tests sign in against, created with python-keycloak through the admin
API (issue 14 allows this until the provisioning issue's Terraform creates them): one realm for
the installation, one organization per test tenant (its slug as alias), the portal's client with
its roles and the mappers that put roles and organizations into the ID token, and the users.

`make_realm` is called once per run by the `keycloak` session fixture (tests/conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from keycloak import KeycloakAdmin

REALM = "portalwerk"
CLIENT_ID = "portalwerk-portal"
CLIENT_SECRET = "test-client-secret-not-for-production"
OTHER_CLIENT_ID = "another-application"
PASSWORD = "Kc-Passwort-2026!"
#: client roles: `<tenant slug>:<role>` for a tenant's staff, `platform:operator` for operators
TENANT_ROLES = ("reader", "processor", "tenant_admin")


@dataclass
class Realm:
    server_url: str
    admin: KeycloakAdmin  # the realm's admin API, as the bootstrap admin
    client_uuid: str
    organizations: dict[str, str] = field(default_factory=dict)  # slug -> organization id

    def add_user(
        self,
        username: str,
        *,
        organizations: tuple[str, ...] = (),
        roles: tuple[str, ...] = (),
        first_name: str = "Kim",
        last_name: str = "Keycloak",
    ) -> str:
        user_id = self.admin.create_user(
            {
                "username": username,
                "email": f"{username}@kc.example",
                "firstName": first_name,
                "lastName": last_name,
                "enabled": True,
                "emailVerified": True,
                "credentials": [{"type": "password", "value": PASSWORD, "temporary": False}],
            }
        )
        for slug in organizations:
            self.admin.organization_user_add(user_id, self.organizations[slug])
        self.set_roles(user_id, roles)
        return user_id

    def set_roles(self, user_id: str, roles: tuple[str, ...]) -> None:
        held = self.admin.get_client_roles_of_user(user_id, self.client_uuid)
        if held:
            self.admin.delete_client_roles_of_user(user_id, self.client_uuid, held)
        if roles:
            wanted = [self.admin.get_client_role(self.client_uuid, name) for name in roles]
            self.admin.assign_client_role(user_id, self.client_uuid, wanted)


def _client(redirect_hosts: list[str], back_channel_url: str) -> dict:
    return {
        "clientId": CLIENT_ID,
        "name": "Portalwerk",
        "enabled": True,
        "protocol": "openid-connect",
        "publicClient": False,
        "secret": CLIENT_SECRET,
        "standardFlowEnabled": True,
        "directAccessGrantsEnabled": False,
        "serviceAccountsEnabled": True,
        "redirectUris": [
            f"{host}/accounts/keycloak/{page}/"
            for host in redirect_hosts
            for page in ("callback", "sign-in")
        ],
        "webOrigins": ["+"],
        "frontchannelLogout": False,
        "attributes": {
            "pkce.code.challenge.method": "S256",
            "post.logout.redirect.uris": "##".join(f"{host}/*" for host in redirect_hosts),
            "backchannel.logout.url": back_channel_url,
            "backchannel.logout.session.required": "true",
        },
        "protocolMappers": [
            {
                "name": "portalwerk roles",
                "protocol": "openid-connect",
                "protocolMapper": "oidc-usermodel-client-role-mapper",
                "config": {
                    "usermodel.clientRoleMapping.clientId": CLIENT_ID,
                    "claim.name": "portalwerk_roles",
                    "multivalued": "true",
                    "jsonType.label": "String",
                    "id.token.claim": "true",
                    "access.token.claim": "true",
                    "userinfo.token.claim": "false",
                },
            },
            {
                "name": "organizations",
                "protocol": "openid-connect",
                "protocolMapper": "oidc-organization-membership-mapper",
                "config": {
                    "claim.name": "organization",
                    "multivalued": "true",
                    "jsonType.label": "String",
                    "id.token.claim": "true",
                    "access.token.claim": "true",
                    "userinfo.token.claim": "false",
                },
            },
        ],
    }


def make_realm(
    server_url: str,
    admin_password: str,
    *,
    tenant_slugs: list[str],
    redirect_hosts: list[str],
    back_channel_url: str,
) -> Realm:
    master = KeycloakAdmin(
        server_url=server_url,
        username="admin",
        password=admin_password,
        realm_name="master",
        user_realm_name="master",
    )
    master.create_realm(
        {
            "realm": REALM,
            "enabled": True,
            "organizationsEnabled": True,
            "loginTheme": "portalwerk",
            "internationalizationEnabled": True,
            "supportedLocales": ["de", "en"],
            "defaultLocale": "de",
        },
        skip_exists=True,
    )
    master.change_current_realm(REALM)
    client_uuid = master.create_client(_client(redirect_hosts, back_channel_url))
    for slug in tenant_slugs:
        for role in TENANT_ROLES:
            master.create_client_role(client_uuid, {"name": f"{slug}:{role}"})
    master.create_client_role(client_uuid, {"name": "platform:operator"})
    # The portal's own service account does the per-user work at run time (invite, membership).
    service_user = master.get_client_service_account_user(client_uuid)
    realm_management = master.get_client_id("realm-management")
    master.assign_client_role(
        service_user["id"],
        realm_management,
        [
            master.get_client_role(realm_management, name)
            for name in (
                "manage-users",
                "view-users",
                "query-users",
                "manage-realm",
                "view-clients",
            )
        ],
    )
    master.create_client(
        {
            "clientId": OTHER_CLIENT_ID,
            "enabled": True,
            "publicClient": False,
            "secret": CLIENT_SECRET,
            "standardFlowEnabled": False,
            "directAccessGrantsEnabled": True,
        }
    )
    realm = Realm(server_url=server_url, admin=master, client_uuid=client_uuid)
    for slug in tenant_slugs:
        realm.organizations[slug] = master.create_organization(
            {
                "name": slug,
                "alias": slug,
                "enabled": True,
                "domains": [{"name": f"{slug}.kc.example"}],
            }
        )
    return realm
