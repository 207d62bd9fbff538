"""The staff API (tenant schema), module switches (both schemas) and onboarding with a first
tenant admin (platform schema): payload errors typed, refusals change nothing."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User
from portalwerk.tenants import routing
from portalwerk.tenants.models import Tenant

STAFF = "{ staff(first: 50) { totalCount edges { node { id email role finance isActive } } } }"
INVITE = """
mutation ($input: InviteStaffInput!) {
  inviteStaff(input: $input) {
    member { email role finance invitationPending } errors { field code }
  }
}
"""
ROLE = """
mutation ($id: ID!, $role: StaffRole!, $finance: Boolean) {
  changeStaffRole(id: $id, role: $role, finance: $finance) {
    member { email role finance } errors { field code message }
  }
}
"""
DEACTIVATE = """
mutation ($id: ID!) { deactivateStaff(id: $id) { member { isActive } errors { field code } } }
"""
REACTIVATE = """
mutation ($id: ID!) { reactivateStaff(id: $id) { member { isActive } errors { field code } } }
"""
SET_MODULES = """
mutation ($on: [TenantModule!], $off: [TenantModule!]) {
  setModules(on: $on, off: $off) { modules allowedModules errors { field code } }
}
"""
SET_TENANT_MODULES = """
mutation ($slug: String!, $on: [TenantModule!], $off: [TenantModule!], $allowed: [TenantModule!]) {
  setTenantModules(slug: $slug, on: $on, off: $off, allowed: $allowed) {
    tenant { modules allowedModules } errors { field code }
  }
}
"""
CREATE = """
mutation ($input: CreateTenantInput!) {
  createTenant(input: $input) { tenant { slug } errors { field code message } }
}
"""
RESEND = """
mutation ($slug: String!) {
  resendAdminInvitation(slug: $slug) { sentTo errors { field code message } }
}
"""


def ids_by_email(gql, client) -> dict[str, str]:
    edges = gql(client, STAFF)["data"]["staff"]["edges"]
    return {edge["node"]["email"]: edge["node"]["id"] for edge in edges}


def test_tenant_admin_invites_changes_deactivates_and_reactivates(
    signed_in, tenant_a, tenant_admin, clerk, gql
):
    client = signed_in(tenant_a, tenant_admin)

    invited = gql(
        client, INVITE, {"input": {"email": "api@alpha.example", "role": "READER", "finance": True}}
    )["data"]["inviteStaff"]
    ids = ids_by_email(gql, client)
    changed = gql(client, ROLE, {"id": ids[clerk.email], "role": "READER"})["data"]
    closed = gql(client, DEACTIVATE, {"id": ids[clerk.email]})["data"]["deactivateStaff"]
    opened = gql(client, REACTIVATE, {"id": ids[clerk.email]})["data"]["reactivateStaff"]

    assert invited == {
        "member": {
            "email": "api@alpha.example",
            "role": "READER",
            "finance": True,
            "invitationPending": True,
        },
        "errors": [],
    }
    assert changed["changeStaffRole"]["member"]["role"] == "READER"
    assert closed == {"member": {"isActive": False}, "errors": []}
    assert opened == {"member": {"isActive": True}, "errors": []}


def test_the_last_admin_cannot_demote_themselves_through_the_api(
    signed_in, tenant_a, tenant_admin, gql
):
    client = signed_in(tenant_a, tenant_admin)
    own = ids_by_email(gql, client)[tenant_admin.email]

    body = gql(client, ROLE, {"id": own, "role": "PROCESSOR"})["data"]["changeStaffRole"]

    assert body["member"] is None
    assert [e["code"] for e in body["errors"]] == ["last_admin"]
    assert "letzte aktive Mandantenadministration" in body["errors"][0]["message"]
    with schema_context(tenant_a.schema_name):
        assert User.objects.get(pk=tenant_admin.pk).role == Role.TENANT_ADMIN


def test_a_staff_id_from_another_tenant_names_nobody(
    signed_in, tenant_a, tenant_b, tenant_admin, other_tenant_clerk, gql
):
    # given an admin of beta, who lists beta's staff
    with schema_context(tenant_b.schema_name):
        User.objects.create_user("admin@beta.example", "Test-Passwort-2026!", role="tenant_admin")
    beta_admin = User(email="admin@beta.example")
    beta = signed_in(tenant_b, beta_admin, "Test-Passwort-2026!")
    beta_clerk_id = ids_by_email(gql, beta)[other_tenant_clerk.email]

    # when alpha's admin uses that id
    body = gql(signed_in(tenant_a, tenant_admin), DEACTIVATE, {"id": beta_clerk_id})

    # then
    assert [e["code"] for e in body["data"]["deactivateStaff"]["errors"]] == ["not_found"]
    with schema_context(tenant_b.schema_name):
        assert User.objects.get(pk=other_tenant_clerk.pk).is_active


@pytest.mark.parametrize("who", ["clerk", "citizen", None])
def test_only_tenant_admins_get_the_staff_api(request, client_for, signed_in, tenant_a, gql, who):
    client = signed_in(tenant_a, request.getfixturevalue(who)) if who else client_for(tenant_a)

    listed = gql(client, STAFF)
    invited = gql(client, INVITE, {"input": {"email": "x@alpha.example", "role": "TENANT_ADMIN"}})
    switched = gql(client, SET_MODULES, {"off": ["CATALOG"]})

    assert listed["data"] is None and listed["errors"]
    assert [e["code"] for e in invited["data"]["inviteStaff"]["errors"]] == ["permission_denied"]
    assert [e["code"] for e in switched["data"]["setModules"]["errors"]] == ["permission_denied"]
    with schema_context(tenant_a.schema_name):
        assert not User.objects.filter(email="x@alpha.example").exists()
    assert "catalog" in Tenant.objects.get(pk=tenant_a.pk).modules


def test_tenant_admin_switches_modules_within_the_contract(signed_in, tenant_a, tenant_admin, gql):
    Tenant.objects.filter(pk=tenant_a.pk).update(allowed_modules=["catalog", "forms"])
    routing.forget()
    client = signed_in(tenant_a, tenant_admin)

    off = gql(client, SET_MODULES, {"off": ["FORMS"]})["data"]["setModules"]
    outside = gql(client, SET_MODULES, {"on": ["PAYMENTS"]})["data"]["setModules"]

    assert off["errors"] == [] and "FORMS" not in off["modules"]
    assert [e["code"] for e in outside["errors"]] == ["module_not_allowed"]


def test_operator_sets_the_contract_and_switches_modules(
    signed_in, platform_tenant, operator, tenant_b, gql
):
    client = signed_in(platform_tenant, operator)

    narrowed = gql(
        client, SET_TENANT_MODULES, {"slug": "beta", "allowed": ["CATALOG", "APPOINTMENTS"]}
    )["data"]["setTenantModules"]
    refused = gql(client, SET_TENANT_MODULES, {"slug": "beta", "on": ["FORMS"]})["data"]

    assert narrowed["errors"] == []
    assert narrowed["tenant"] == {
        "modules": ["CATALOG", "APPOINTMENTS"],
        "allowedModules": ["CATALOG", "APPOINTMENTS"],
    }
    assert [e["code"] for e in refused["setTenantModules"]["errors"]] == ["module_not_allowed"]


def test_platform_api_creates_with_an_admin_and_sends_again(
    signed_in, platform_tenant, operator, gql
):
    client = signed_in(platform_tenant, operator)
    base = {"name": "Gemeinde Gamma", "slug": "gamma", "kind": "MUNICIPALITY"}

    bad = gql(client, CREATE, {"input": {**base, "adminEmail": "nope"}})
    good = gql(client, CREATE, {"input": {**base, "adminEmail": "chef@gamma.example"}})
    again = gql(client, RESEND, {"slug": "gamma"})

    assert [(e["field"], e["code"]) for e in bad["data"]["createTenant"]["errors"]] == [
        ("adminEmail", "invalid_email")
    ]
    assert good["data"]["createTenant"]["errors"] == []
    assert again["data"]["resendAdminInvitation"] == {
        "sentTo": ["chef@gamma.example"],
        "errors": [],
    }
    with schema_context(Tenant.objects.get(slug="gamma").schema_name):
        assert list(User.objects.values_list("email", "role")) == [
            ("chef@gamma.example", "tenant_admin")
        ]
