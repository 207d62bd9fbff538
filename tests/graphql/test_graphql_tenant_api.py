"""Tenant API: `tenant` describes the tenant of the request's host, to anyone."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portalwerk.tenants.models import Domain, Tenant, TenantKind, TenantStatus

TENANT = "{ tenant { name kind officialKey parent { name } members { name } } }"


def test_anonymous_citizen_reads_their_municipality(client_for, tenant_a, gql):
    # given an anonymous citizen on Alpha's portal
    client = client_for(tenant_a)
    # when they ask for the tenant
    body = gql(client, TENANT)
    # then they get Alpha, its district and no members
    assert "errors" not in body
    assert body["data"]["tenant"] == {
        "name": "Stadt Alpha",
        "kind": "MUNICIPALITY",
        "officialKey": "05998004",
        "parent": {"name": "Kreis Testland"},
        "members": [],
    }


def test_district_lists_its_member_municipalities(client_for, district, gql):
    body = gql(client_for(district), TENANT)
    tenant = body["data"]["tenant"]
    assert tenant["name"] == "Kreis Testland"
    assert tenant["kind"] == "DISTRICT"
    assert tenant["parent"] is None
    assert tenant["members"] == [{"name": "Gemeinde Beta"}, {"name": "Stadt Alpha"}]


def test_each_host_answers_with_its_own_tenant_only(client_for, tenant_a, tenant_b, gql):
    # given the same query on two tenants' hosts
    alpha = gql(client_for(tenant_a), "{ tenant { name } }")
    beta = gql(client_for(tenant_b), "{ tenant { name } }")
    # then each host describes itself
    assert alpha["data"]["tenant"]["name"] == "Stadt Alpha"
    assert beta["data"]["tenant"]["name"] == "Gemeinde Beta"


def _add_district(slug: str) -> Tenant:
    # Rows only (no schema): enough for a read of names, and much faster than onboarding.
    district = Tenant.objects.create(
        name=f"Kreis {slug}",
        slug=slug,
        schema_name=f"t_{slug}",
        kind=TenantKind.DISTRICT,
        status=TenantStatus.ACTIVE,
    )
    Domain.objects.create(domain=f"{slug}.localhost", tenant=district, is_primary=True)
    return district


def _add_members(district: Tenant, count: int, start: int) -> None:
    for number in range(start, start + count):
        Tenant.objects.create(
            name=f"Gemeinde {number:03}",
            slug=f"{district.slug}-{number}",
            schema_name=f"t_{district.slug}_{number}",
            kind=TenantKind.MUNICIPALITY,
            status=TenantStatus.ACTIVE,
            parent=district,
        )


# Each member's own members as well: a query per member row would show here first.
TENANT_WITH_MEMBERS_OF_MEMBERS = (
    "{ tenant { name parent { name } members { name parent { name } members { name } } } }"
)


def _selects_for(client, gql) -> tuple[list[str], dict]:
    with CaptureQueriesContext(connection) as queries:
        body = gql(client, TENANT_WITH_MEMBERS_OF_MEMBERS)
    connection.set_schema_to_public()
    # django-tenants also sets the search_path; only the reads are of interest.
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")], body


def test_members_cost_the_same_number_of_queries_for_one_and_for_many(client_for, gql):
    # given a district with one member, and its host already routed once
    district = _add_district("querycount")
    _add_members(district, 1, start=1)
    client = client_for("querycount.localhost")
    gql(client, TENANT)
    connection.set_schema_to_public()
    one, body_one = _selects_for(client, gql)
    # when it gets 99 more members
    _add_members(district, 99, start=2)
    many, body_many = _selects_for(client, gql)
    # then the answer lists them all, for the same number of queries
    assert len(body_one["data"]["tenant"]["members"]) == 1
    assert len(body_many["data"]["tenant"]["members"]) == 100
    assert len(many) == len(one), many
