"""The console's Terraform for one tenant, for real (the test run's Keycloak, the provider from
the mirror, state in the test database): the plan page lists what will be added before anything
is applied; applying from it is audited and the tenant's page then shows the last plan and
apply; a second plan is in sync."""

from __future__ import annotations

import re

import pytest

from portalwerk.infra import services
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import system
from tests.infra.conftest import terraform  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration


def test_plan_then_apply_from_the_console(terraform, console, operator, tenant_a):  # noqa: F811
    realm, master = terraform
    services.apply(actor=system("test"), slug=None)  # the identity stack comes first
    try:
        response = console.post("/console/tenants/alpha/plan/", HTTP_ACCEPT_LANGUAGE="en")
        html = response.content.decode()
        assert response.status_code == 200, html[:3000]
        added = int(re.search(r"Applying will add (\d+), change 0 and destroy 0", html)[1])
        assert added >= 1
        assert "keycloak_organization" in html  # the resources, one row each
        master.change_current_realm(realm)
        assert not master.get_organizations({"search": "alpha"})  # nothing applied yet
        planned = Entry.objects.get(action="infra.planned", object_id="alpha")
        assert planned.actor_user_id == operator.pk and planned.detail["added"] == added
        # applying from the plan page
        response = console.post(
            "/console/tenants/alpha/apply/", {"confirmed": "yes"}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 302
        assert master.get_organizations({"search": "alpha"})
        applied = Entry.objects.get(action="infra.applied", object_id="alpha")
        assert applied.actor_user_id == operator.pk and applied.detail["added"] == added
        page = console.get("/console/tenants/alpha/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert f"Applied: {added} added, 0 changed, 0 destroyed." in page
        assert "<dt>Terraform state</dt><dd>kept</dd>" in page
        assert f"{added} added, 0 changed, 0 destroyed" in page
        # checked again: in sync, nothing to apply
        html = console.post("/console/tenants/alpha/plan/", HTTP_ACCEPT_LANGUAGE="en")
        assert "In sync" in html.content.decode() and "Apply now" not in html.content.decode()
    finally:
        services.destroy(actor=system("test"), slug="alpha")
        services.destroy(actor=system("test"))
