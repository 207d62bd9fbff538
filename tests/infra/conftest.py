"""The Terraform tests' shared set-up: the Keycloak provider in its mirror, and a realm of its
own per test beside the tests' realm (removed afterwards, whatever the test left)."""

from __future__ import annotations

import os
import uuid

import pytest
from keycloak import KeycloakAdmin

from portalwerk.infra import providers
from portalwerk.infra.errors import InfraError


def require_provider() -> None:
    try:
        found = providers.ensure_mirror(["keycloak"])
    except InfraError as exc:
        found, why = None, exc.message
    else:
        why = "no Keycloak provider source (PORTALWERK_TF_PROVIDER_SOURCES or ../shared/sources)"
    if found is None:
        if os.environ.get("PORTALWERK_REQUIRE_ALL") == "1":
            pytest.fail(f"Terraform's Keycloak provider is required: {why}")
        pytest.skip(f"Terraform's Keycloak provider is not available: {why}")


def master_admin(server_url: str) -> KeycloakAdmin:
    import components

    return KeycloakAdmin(
        server_url=server_url,
        username="admin",
        password=components.KEYCLOAK_ADMIN_PASSWORD,
        realm_name="master",
        user_realm_name="master",
    )


@pytest.fixture
def terraform(keycloak, settings):
    import components

    require_provider()
    settings.PORTALWERK_TF_KEYCLOAK_URL = keycloak.server_url
    settings.PORTALWERK_TF_KEYCLOAK_ADMIN = "admin"
    settings.PORTALWERK_TF_KEYCLOAK_ADMIN_PASSWORD = components.KEYCLOAK_ADMIN_PASSWORD
    settings.KEYCLOAK_REALM = f"tf-{uuid.uuid4().hex[:8]}"  # beside the tests' own realm
    master = master_admin(keycloak.server_url)
    yield settings.KEYCLOAK_REALM, master
    master.change_current_realm("master")
    if settings.KEYCLOAK_REALM in {r["realm"] for r in master.get_realms()}:
        master.delete_realm(settings.KEYCLOAK_REALM)
