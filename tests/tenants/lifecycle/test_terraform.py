"""Onboarding and offboarding with Terraform for real: the test run's Keycloak, the provider
from the mirror, state in the test database. Keycloak unreachable during apply is one line on
the terraform step and a resumable run; once it answers, resuming applies and completes the
tenant; offboarding destroys the tenant's organization again."""

from __future__ import annotations

import socket
import uuid

import pytest
from keycloak import KeycloakAdmin

from portalwerk.infra import services as infra
from portalwerk.platform.authz.actors import system
from portalwerk.tenants import lifecycle, services
from portalwerk.tenants.models import RunState, Tenant, TenantStatus
from tests.infra.conftest import require_provider

pytestmark = pytest.mark.integration


def _dead_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture
def terraform(db, keycloak, settings, tmp_path):
    import components

    require_provider()
    settings.PORTALWERK_EXPORTS_DIR = tmp_path / "exports"
    settings.PORTALWERK_TF_KEYCLOAK_ADMIN = "admin"
    settings.PORTALWERK_TF_KEYCLOAK_ADMIN_PASSWORD = components.KEYCLOAK_ADMIN_PASSWORD
    settings.KEYCLOAK_REALM = f"tf-{uuid.uuid4().hex[:8]}"  # beside the tests' own realm
    master = KeycloakAdmin(
        server_url=keycloak.server_url,
        username="admin",
        password=components.KEYCLOAK_ADMIN_PASSWORD,
        realm_name="master",
        user_realm_name="master",
    )
    yield keycloak.server_url, master
    settings.PORTALWERK_TF_KEYCLOAK_URL = keycloak.server_url
    infra.destroy(actor=system("test"))
    master.change_current_realm("master")
    if settings.KEYCLOAK_REALM in {r["realm"] for r in master.get_realms()}:
        master.delete_realm(settings.KEYCLOAK_REALM)


def test_keycloak_down_during_apply_then_resume_then_offboard(terraform, settings, district):
    server_url, master = terraform
    data = services.NewTenant(
        name="Gemeinde Tfdorf", slug="tfdorf", kind="municipality", parent_slug="testland"
    )
    # given Keycloak cannot be reached
    settings.PORTALWERK_TF_KEYCLOAK_URL = _dead_url()
    run = lifecycle.start_onboarding(actor=system("tests"), data=data, wait=True)
    # then the terraform step failed with one line, the tenant waits in provisioning
    step = run.steps.get(name="terraform")
    assert run.state == RunState.FAILED and step.state == "failed"
    assert step.message.startswith("terraform apply:") and "\n" not in step.message
    assert Tenant.objects.get(slug="tfdorf").status == TenantStatus.PROVISIONING
    assert run.steps.get(name="schema").state == "pending"
    # when Keycloak answers again and the operator resumes
    settings.PORTALWERK_TF_KEYCLOAK_URL = server_url
    done = lifecycle.resume(actor=system("tests"), slug="tfdorf", wait=True)
    # then the tenant is complete, with its organization in Keycloak
    assert done.state == RunState.DONE, list(done.steps.values("name", "state", "message"))
    assert done.steps.get(name="terraform").attempts == 2
    assert "Terraform applied" in done.steps.get(name="terraform").message
    master.change_current_realm(settings.KEYCLOAK_REALM)
    [organization] = master.get_organizations({"search": "tfdorf"})
    assert organization["alias"] == "tfdorf"
    # and offboarding destroys it again
    gone = lifecycle.start_offboarding(
        actor=system("tests"), slug="tfdorf", grace_days=0, wait=True
    )
    assert gone.state == RunState.DONE, list(gone.steps.values("name", "state", "message"))
    assert "destroyed" in gone.steps.get(name="terraform").message
    assert not master.get_organizations({"search": "tfdorf"})
    # and its Terraform workspace is gone with it: drift lists no tenant that is no more
    assert "tfdorf" not in infra.drift()
