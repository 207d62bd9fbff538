"""The hourly sweep deactivates, in every tenant, the single-sign-on staff Keycloak no longer
lists, and nobody else: not those still listed, not another tenant's, not citizens."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.identity.contrib.keycloak import tasks
from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.audit.models import Entry
from tests.platform.accounts.keycloak.conftest import sign_in

pytestmark = pytest.mark.integration


def user_pk(tenant, keycloak_id) -> int:
    with schema_context(tenant.schema_name):
        return User.objects.get(external_id=keycloak_id).pk


def active(tenant, keycloak_id) -> bool:
    with schema_context(tenant.schema_name):
        return User.objects.get(external_id=keycloak_id).is_active


def test_the_sweep_deactivates_whom_keycloak_no_longer_lists_in_every_tenant(
    realm, username, tenant_a, tenant_b, client_for
):
    removed = realm.add_user(f"{username}-a", organizations=("alpha",), roles=("alpha:processor",))
    kept = realm.add_user(f"{username}-b", organizations=("beta",), roles=("beta:reader",))
    open_session = client_for(tenant_a)
    sign_in(open_session, f"{username}-a")
    assert open_session.get("/backoffice/").status_code == 200
    sign_in(client_for(tenant_b), f"{username}-b")
    with schema_context(tenant_a.schema_name):
        citizen = User.objects.create(
            email=f"{username}-citizen@kc.example",
            role=Role.CITIZEN,
            identity_provider="keycloak",
            external_id=f"{username}-state-account-subject",
        )
    realm.admin.organization_user_remove(removed, realm.organizations["alpha"])

    done = tasks.sweep_unlisted(timestamp=0)

    assert done[tenant_a.schema_name] == 1 and done[tenant_b.schema_name] == 0
    assert not active(tenant_a, removed)
    assert open_session.get("/backoffice/").status_code == 302  # the open session has ended
    assert active(tenant_b, kept)
    assert active(tenant_a, citizen.external_id)
    with schema_context(tenant_a.schema_name):
        entry = Entry.objects.filter(action="staff.deactivated").latest("pk")
        assert (entry.actor_kind, entry.object_id) == ("system", str(user_pk(tenant_a, removed)))


def test_the_sweep_is_scheduled_for_the_worker():
    from procrastinate.contrib.django import app

    scheduled = {task.periodic_id for task in app.periodic_registry.periodic_tasks.values()}
    assert "keycloak-sweep" in scheduled
