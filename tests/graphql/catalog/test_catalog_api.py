"""The catalogue in the tenant API, executed against the host's tenant as the view would."""

from __future__ import annotations

import base64
from types import SimpleNamespace

import pytest
import strawberry
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_tenants.utils import schema_context
from strawberry.tools import merge_types

from portalwerk.graphql.catalog.queries import CatalogQuery
from portalwerk.graphql.core import ids
from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.catalog import demo
from portalwerk.platform.catalog.models import Category, Service
from portalwerk.tenants.models import Tenant

schema = strawberry.Schema(query=merge_types("Query", (CatalogQuery,)))

SERVICES = """
query ($search: String, $category: String, $first: Int, $after: String) {
  services(search: $search, category: $category, first: $first, after: $after) {
    edges { cursor node {
      id name summary url leikaKey documents
      fee { kind amountCents note }
      office { id name openingHours { weekday opens closes } closures { firstDay reason } }
      categories { slug name }
      providedBy { name portalUrl }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def run(tenant, query, language="de", **variables):
    request = RequestFactory().post("/graphql/", HTTP_HOST=f"{tenant.slug}.localhost")
    request.tenant = tenant
    request.user = AnonymousUser()
    request.actor = from_user(request.user)  # what ActorMiddleware sets
    connection.set_tenant(tenant)
    try:
        with translation.override(language):
            result = schema.execute_sync(
                query, variable_values=variables, context_value=SimpleNamespace(request=request)
            )
    finally:
        connection.set_schema_to_public()
    assert result.errors is None, result.errors
    return result.data


@pytest.fixture
def catalogue(district, tenant_a):
    demo.seed_library()
    demo.seed_tenant(district)
    demo.seed_tenant(tenant_a)


def names(data):
    return [edge["node"]["name"] for edge in data["services"]["edges"]]


def test_anonymous_citizens_list_services_with_the_district_ones(catalogue, tenant_a):
    data = run(tenant_a, SERVICES, first=100)
    nodes = {e["node"]["name"]: e["node"] for e in data["services"]["edges"]}
    own = nodes["Wohnsitz anmelden"]
    assert own["providedBy"] is None and own["url"] == "/services/wohnsitz-anmelden/"
    assert own["office"]["name"] == "Bürgerbüro"
    assert {"weekday": 1, "opens": "13:00:00", "closes": "18:00:00"} in own["office"][
        "openingHours"
    ]
    exam = nodes["Fischereiprüfung ablegen"]
    assert exam["providedBy"] == {
        "name": "Kreis Testland",
        "portalUrl": "http://testland.localhost/",
    }
    assert exam["fee"] == {"kind": "AMOUNT", "amountCents": 6000, "note": ""}
    assert exam["leikaKey"] == "99063004012000"
    assert (
        base64.b64decode(exam["id"]).decode().startswith("Service:t_testland:")
    )  # the district's schema


def test_english_falls_back_to_german(catalogue, tenant_a):
    data = run(tenant_a, SERVICES, language="en", first=100)
    nodes = {e["node"]["url"]: e["node"] for e in data["services"]["edges"]}
    own = nodes["/services/wohnsitz-anmelden/"]
    assert own["name"] == "Register your residence"
    assert own["documents"] == ["Identity card or passport", "Landlord's confirmation of moving in"]
    licence = nodes["http://testland.localhost/services/fischereischein/"]
    assert licence["documents"][0] == "Zeugnis über die bestandene Fischereiprüfung"


def test_search_and_category_filter(catalogue, tenant_a):
    # a typo still finds both dog-tax services first
    assert set(names(run(tenant_a, SERVICES, search="Hundestuer"))[:2]) == {
        "Hund zur Hundesteuer anmelden",
        "Hund von der Hundesteuer abmelden",
    }
    in_category = names(run(tenant_a, SERVICES, category="jagd-und-fischerei", first=50))
    assert "Jägerprüfung ablegen" in in_category and "Wohnsitz anmelden" not in in_category
    # search within a life situation: "Schein" finds fishing and hunting licences, not the
    # driving licence of "car and traffic"
    found = names(run(tenant_a, SERVICES, search="schein", category="jagd-und-fischerei"))
    assert "Jagdschein beantragen oder verlängern" in found
    assert "Führerschein umtauschen" not in found
    assert set(found) <= set(in_category)


def test_cursor_pagination_walks_the_whole_list_once(catalogue, tenant_a):
    seen, after = [], None
    while True:
        data = run(tenant_a, SERVICES, first=7, after=after)
        seen += names(data)
        if not data["services"]["pageInfo"]["hasNextPage"]:
            break
        after = data["services"]["pageInfo"]["endCursor"]
    everything = names(run(tenant_a, SERVICES, first=100))
    assert seen == everything and len(seen) == len(set(seen)) >= 25


SERVICE = "query ($id: ID!) { service(id: $id) { name providedBy { name } } }"


def gid(type_name, tenant_slug, key):
    """The global ID of `key` minted on the tenant `tenant_slug` (see graphql/core/ids.py)."""
    with schema_context(Tenant.objects.get(slug=tenant_slug).schema_name):
        return str(ids.encode(type_name, key))


def test_service_by_id_own_and_district_but_never_another_tenant(
    catalogue, tenant_a, tenant_b, district
):
    with schema_context(tenant_a.schema_name):
        own = Service.objects.get(slug="wohnsitz-anmelden").pk
    with schema_context(district.schema_name):
        exam = Service.objects.get(slug="fischereipruefung").pk
    assert run(tenant_a, SERVICE, id=gid("Service", "alpha", own))["service"]["name"] == (
        "Wohnsitz anmelden"
    )
    district_service = run(tenant_a, SERVICE, id=gid("Service", "testland", exam))["service"]
    assert district_service == {
        "name": "Fischereiprüfung ablegen",
        "providedBy": {"name": "Kreis Testland"},
    }
    # beta (a sibling) cannot read alpha's service by its ID, nor alpha read beta's
    assert run(tenant_b, SERVICE, id=gid("Service", "alpha", own))["service"] is None
    assert run(tenant_a, SERVICE, id=gid("Service", "beta", own))["service"] is None
    # the district cannot read a member's service through its own ID either
    assert run(district, SERVICE, id=gid("Service", "alpha", own))["service"] is None
    # unpublished services are not found
    with schema_context(tenant_a.schema_name):
        Service.objects.filter(pk=own).update(is_published=False)
    assert run(tenant_a, SERVICE, id=gid("Service", "alpha", own))["service"] is None
    # malformed IDs are not found, not errors
    assert run(tenant_a, SERVICE, id=gid("Office", "alpha", own))["service"] is None
    assert run(tenant_a, SERVICE, id=gid("Service", "alpha", "x"))["service"] is None


def test_offices_and_categories(catalogue, tenant_a, tenant_b):
    query = """{ offices(first: 10) { edges { node { id slug name accessibility } } }
                 categories(first: 50) { edges { node { slug name } } } }"""
    data = run(tenant_a, query, language="en")
    offices = [e["node"]["slug"] for e in data["offices"]["edges"]]
    assert "buergerbuero" in offices and "kataster" not in offices  # the district's
    assert "Moving and housing" in [e["node"]["name"] for e in data["categories"]["edges"]]
    office_id = data["offices"]["edges"][0]["node"]["id"]
    one = "query ($id: ID!) { office(id: $id) { slug } }"
    assert run(tenant_a, one, id=office_id)["office"]["slug"] == offices[0]
    assert run(tenant_b, one, id=office_id)["office"] is None


def test_every_catalogue_field_declares_its_permission():
    from strawberry.permission import PermissionExtension

    for field in CatalogQuery.__strawberry_definition__.fields:
        permissions = [
            p for e in field.extensions if isinstance(e, PermissionExtension) for p in e.permissions
        ]
        assert [type(p).__name__ for p in permissions] == ["AllowAnonymous"], field.name


def test_query_count_is_the_same_for_1_and_100_services(district, tenant_b):
    # given beta (a member of testland) with one service, the district with one
    def add(tenant, start, count):
        with schema_context(tenant.schema_name):
            category, _ = Category.objects.get_or_create(slug="alle", name_de="Alle")
            office = None
            for n in range(start, start + count):
                service = Service.objects.create(
                    slug=f"s-{n}",
                    name_de=f"Leistung {n}",
                    summary_de="Kurz.",
                    is_published=True,
                    office=office,
                )
                service.categories.add(category)

    add(tenant_b, 0, 1)
    add(district, 1000, 1)
    run(tenant_b, SERVICES, first=100)  # warm caches (content types, host lookups)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            data = run(tenant_b, SERVICES, first=100)
        return len(captured), len(data["services"]["edges"])

    one, rows = count()
    assert rows == 2
    # when both have 100 services
    add(tenant_b, 1, 99)
    add(district, 1001, 99)
    hundred, rows = count()
    # then the API needs exactly as many queries
    assert rows == 100
    assert one == hundred, (one, hundred)


def test_the_platform_host_has_no_catalogue(platform_tenant):
    assert run(platform_tenant, SERVICES)["services"]["edges"] == []
