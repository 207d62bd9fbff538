"""Platform API: `tenants`, a Relay connection, for operators on the platform host only."""

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portalwerk.tenants.models import Tenant, TenantKind, TenantStatus

TENANTS = """
query ($first: Int, $after: String) {
  tenants(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id slug name kind status officialKey parent { name } members { name } } }
  }
}
"""


def _names(body) -> list[str]:
    return [edge["node"]["name"] for edge in body["data"]["tenants"]["edges"]]


def test_operator_lists_every_tenant_but_the_platform(
    signed_in, platform_tenant, operator, district, tenant_a, tenant_b, gql
):
    # given an operator signed in on the platform host
    client = signed_in(platform_tenant, operator)
    # when they list the tenants
    body = gql(client, TENANTS)
    # then they see the three test tenants by name, with district and members, not the platform
    assert "errors" not in body
    assert _names(body) == ["Gemeinde Beta", "Kreis Testland", "Stadt Alpha"]
    assert body["data"]["tenants"]["totalCount"] == 3
    testland = body["data"]["tenants"]["edges"][1]["node"]
    assert testland["kind"] == "DISTRICT"
    assert testland["status"] == "ACTIVE"
    assert testland["members"] == [{"name": "Gemeinde Beta"}, {"name": "Stadt Alpha"}]
    alpha = body["data"]["tenants"]["edges"][2]["node"]
    assert alpha["parent"] == {"name": "Kreis Testland"}
    assert alpha["officialKey"] == "05998004"


def test_ids_are_relay_global_ids(signed_in, platform_tenant, operator, tenant_a, gql):
    body = gql(signed_in(platform_tenant, operator), TENANTS)
    alpha = body["data"]["tenants"]["edges"][2]["node"]
    assert base64.b64decode(alpha["id"]).decode() == f"Tenant:public:{tenant_a.pk}"


def test_pages_follow_the_cursor(signed_in, platform_tenant, operator, gql):
    # given an operator
    client = signed_in(platform_tenant, operator)
    # when they read two tenants, then the rest after the cursor
    first = gql(client, TENANTS, {"first": 2})
    cursor = first["data"]["tenants"]["pageInfo"]["endCursor"]
    rest = gql(client, TENANTS, {"first": 2, "after": cursor})
    # then the pages follow each other without gap or overlap
    assert _names(first) == ["Gemeinde Beta", "Kreis Testland"]
    assert first["data"]["tenants"]["pageInfo"]["hasNextPage"] is True
    assert _names(rest) == ["Stadt Alpha"]
    assert rest["data"]["tenants"]["pageInfo"]["hasNextPage"] is False


def _refused(body) -> None:
    assert body["data"] is None
    assert body["errors"], body
    text = str(body)
    for name in ("Stadt Alpha", "Gemeinde Beta", "Kreis Testland", "05998004"):
        assert name not in text


def test_anonymous_gets_no_tenants(client_for, platform_tenant, gql):
    body = gql(client_for(platform_tenant), TENANTS)
    _refused(body)
    assert body["errors"][0]["message"] == "You are not allowed to do this."


def test_platform_user_without_operator_role_gets_no_tenants(platform_reader_client, gql):
    _refused(gql(platform_reader_client, TENANTS))


def test_tenant_clerks_session_is_worth_nothing_on_the_platform_host(
    signed_in, tenant_a, clerk, platform_tenant, gql
):
    # given a clerk signed in on Alpha, whose session cookie is then sent to the platform host
    client = signed_in(tenant_a, clerk)
    platform_host = platform_tenant.domains.get(is_primary=True).domain
    # when they ask the platform API for the tenants
    body = gql(client, TENANTS, HTTP_HOST=platform_host)
    # then they are nobody there
    _refused(body)


def test_operator_on_a_tenant_host_finds_no_tenant_list(
    signed_in, platform_tenant, operator, tenant_a, gql
):
    # given an operator's session sent to a tenant host
    client = signed_in(platform_tenant, operator)
    tenant_host = tenant_a.domains.get(is_primary=True).domain
    # when they ask that host for the tenants
    body = gql(client, TENANTS, HTTP_HOST=tenant_host)
    # then the tenant API has no such field, and nothing leaks
    _refused(body)
    assert any("Cannot query field 'tenants'" in e["message"] for e in body["errors"])


def _add_tenants(count: int) -> None:
    # Rows only (no schemas): the listing reads rows, and onboarding 100 would take minutes.
    district = Tenant.objects.get(slug="testland")
    for number in range(count):
        Tenant.objects.create(
            name=f"Gemeinde {number:03}",
            slug=f"count-{number}",
            schema_name=f"t_count_{number}",
            kind=TenantKind.MUNICIPALITY,
            status=TenantStatus.ACTIVE,
            parent=district,
        )


def _selects(client, gql) -> tuple[list[str], dict]:
    with CaptureQueriesContext(connection) as queries:
        body = gql(client, TENANTS, {"first": 100})
    connection.set_schema_to_public()
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")], body


@pytest.mark.parametrize("added", [1, 97])
def test_listing_costs_the_same_number_of_queries_for_few_and_many_tenants(
    signed_in, platform_tenant, operator, gql, added
):
    # given an operator, and the cost of listing the three test tenants
    client = signed_in(platform_tenant, operator)
    few, _ = _selects(client, gql)
    # when more tenants are added
    _add_tenants(added)
    many, body = _selects(client, gql)
    # then all of them are listed for the same number of queries
    assert len(body["data"]["tenants"]["edges"]) == 3 + added
    assert len(many) == len(few), many
