"""The installation's Terraform applied for real: the identity and tenant modules against the
test run's Keycloak (the provider built from its source into the mirror), state in the test
database's PostgreSQL. A second plan shows no changes; a client changed by hand shows as drift;
destroying leaves nothing behind (checked through python-keycloak)."""

from __future__ import annotations

import pytest

from portalwerk.infra import services
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import system

pytestmark = pytest.mark.integration


def test_identity_and_tenant_are_applied_match_on_a_second_plan_and_are_destroyed(
    terraform, tenant_a
):
    realm, master = terraform
    actor = system("test")

    planned = services.plan()
    assert planned.add >= 5 and not planned.destroy
    services.apply(actor=actor)
    services.apply(actor=actor, slug="alpha")

    master.change_current_realm(realm)
    assert master.get_realm(realm)["organizationsEnabled"] is True
    [client] = [c for c in master.get_clients() if c["clientId"] == "portalwerk-portal"]
    assert "http://alpha.localhost/accounts/keycloak/callback/" in client["redirectUris"]
    assert client["attributes"]["pkce.code.challenge.method"] == "S256"
    roles = {role["name"] for role in master.get_client_roles(client["id"])}
    assert {"alpha:reader", "alpha:processor", "alpha:tenant_admin", "platform:operator"} <= roles
    [organization] = master.get_organizations({"search": "alpha"})
    assert organization["alias"] == "alpha"
    assert {d["name"] for d in organization["domains"]} == set(
        tenant_a.domains.values_list("domain", flat=True)
    )
    assert services.plan().in_sync and services.plan("alpha").in_sync
    assert Entry.objects.filter(action="infra.applied").count() >= 2

    # a client changed by hand in Keycloak is drift
    master.update_client(client["id"], {"redirectUris": ["https://elsewhere.example/*"]})
    assert "identity" in services.drift()

    services.destroy(actor=actor, slug="alpha")
    assert not master.get_organizations({"search": "alpha"})
    services.destroy(actor=actor)
    master.change_current_realm("master")
    assert realm not in {r["realm"] for r in master.get_realms()}
