"""Platform API: `createTenant` onboards a tenant; bad input comes back as payload errors."""

import pytest

from portalwerk.platform.audit.models import Entry as AuditEntry
from portalwerk.tenants.models import Tenant

CREATE = """
mutation ($input: CreateTenantInput!) {
  createTenant(input: $input) {
    tenant { id slug name kind status officialKey parent { name } }
    errors { field code message }
  }
}
"""

GAMMA = {
    "name": "Gemeinde Gamma",
    "slug": "gamma",
    "kind": "MUNICIPALITY",
    "parentSlug": "testland",
    "officialKey": "05998012",
}


def test_operator_onboards_a_municipality(signed_in, platform_tenant, operator, gql):
    # given an operator on the platform host
    client = signed_in(platform_tenant, operator)
    # when they create Gamma in the district Testland
    body = gql(client, CREATE, {"input": GAMMA})
    # then Gamma exists, is active, belongs to Testland, and the operator is on record
    payload = body["data"]["createTenant"]
    assert payload["errors"] == []
    assert payload["tenant"]["slug"] == "gamma"
    assert payload["tenant"]["status"] == "ACTIVE"
    assert payload["tenant"]["parent"] == {"name": "Kreis Testland"}
    gamma = Tenant.objects.get(slug="gamma")
    assert gamma.parent.slug == "testland"
    assert gamma.domains.get(is_primary=True).domain == "gamma.localhost"
    audit = AuditEntry.objects.get(object_type="tenant", object_id="gamma", action="tenant.created")
    assert (audit.actor_kind, audit.actor_user_id) == ("operator", operator.pk)


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"slug": "alpha"}, "slug", "duplicate_slug"),
        ({"slug": "Not A Slug"}, "slug", "invalid_slug"),
        ({"parentSlug": "nowhere"}, "parentSlug", "unknown_parent"),
        ({"parentSlug": "alpha"}, "parentSlug", "invalid_parent"),
        ({"officialKey": "123"}, "officialKey", "invalid_official_key"),
        ({"officialKey": "05998004"}, "officialKey", "duplicate_official_key"),
        ({"officialKey": "06411000"}, "officialKey", "key_outside_district"),
        ({"kind": "PLATFORM"}, "kind", "invalid_kind"),
        ({"name": "   "}, "name", "name_required"),
        ({"domains": ["alpha.localhost"]}, "domains", "duplicate_domain"),
    ],
)
def test_bad_input_comes_back_as_errors_and_creates_nothing(
    signed_in, platform_tenant, operator, gql, change, field, code
):
    # given an operator and the number of tenants and audit entries
    client = signed_in(platform_tenant, operator)
    tenants, audits = Tenant.objects.count(), AuditEntry.objects.count()
    # when they send input the service refuses
    body = gql(client, CREATE, {"input": {**GAMMA, **change}})
    # then the payload names the input field (as sent) and the code, with a message
    assert "errors" not in body
    payload = body["data"]["createTenant"]
    assert payload["tenant"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)]
    assert payload["errors"][0]["message"]
    # and nothing was created
    assert Tenant.objects.count() == tenants
    assert AuditEntry.objects.count() == audits


def test_every_problem_of_the_input_comes_back_at_once(signed_in, platform_tenant, operator, gql):
    client = signed_in(platform_tenant, operator)
    bad = {**GAMMA, "name": " ", "slug": "Not A Slug", "officialKey": "123", "parentSlug": "x"}
    payload = gql(client, CREATE, {"input": bad})["data"]["createTenant"]
    assert sorted((e["field"], e["code"]) for e in payload["errors"]) == [
        ("name", "name_required"),
        ("officialKey", "invalid_official_key"),
        ("parentSlug", "unknown_parent"),
        ("slug", "invalid_slug"),
    ]
    assert not Tenant.objects.filter(name=" ").exists()


def test_input_of_the_wrong_shape_is_refused_before_anything_runs(
    signed_in, platform_tenant, operator, gql
):
    client = signed_in(platform_tenant, operator)
    tenants = Tenant.objects.count()
    body = gql(client, CREATE, {"input": {**GAMMA, "kind": "CASTLE"}})
    assert body["data"] is None
    assert "CASTLE" in body["errors"][0]["message"]
    assert Tenant.objects.count() == tenants


def _nothing_created(body) -> None:
    # refused in the payload (the platform API), or no such mutation at all (a tenant host)
    payload = (body.get("data") or {}).get("createTenant")
    if payload is None:
        assert body["errors"]
    else:
        assert payload["tenant"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [(None, "permission_denied")]
    assert not Tenant.objects.filter(slug="gamma").exists()
    assert not AuditEntry.objects.filter(object_type="tenant", object_id="gamma").exists()


def test_anonymous_cannot_create_a_tenant(client_for, platform_tenant, gql):
    body = gql(client_for(platform_tenant), CREATE, {"input": GAMMA}, HTTP_ACCEPT_LANGUAGE="en")
    _nothing_created(body)
    assert body["data"]["createTenant"]["errors"][0]["message"] == "You are not allowed to do this."


def test_platform_user_without_operator_role_cannot_create_a_tenant(platform_reader_client, gql):
    _nothing_created(gql(platform_reader_client, CREATE, {"input": GAMMA}))


def test_tenant_clerks_session_cannot_create_a_tenant_on_the_platform_host(
    signed_in, tenant_a, tenant_admin, platform_tenant, gql
):
    client = signed_in(tenant_a, tenant_admin)
    platform_host = platform_tenant.domains.get(is_primary=True).domain
    _nothing_created(gql(client, CREATE, {"input": GAMMA}, HTTP_HOST=platform_host))


def test_operator_cannot_create_a_tenant_through_a_tenant_host(
    signed_in, platform_tenant, operator, tenant_a, gql
):
    # given an operator's session sent to a tenant host
    client = signed_in(platform_tenant, operator)
    # when they send createTenant there
    body = gql(client, CREATE, {"input": GAMMA}, HTTP_HOST="alpha.localhost")
    # then the tenant API has no such mutation, and nothing is created
    _nothing_created(body)
    assert body["data"] is None
