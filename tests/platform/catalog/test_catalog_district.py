"""The one cross-tenant read: a member's portal lists its district's published services."""

from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import system
from portalwerk.platform.catalog import queries
from portalwerk.platform.catalog.models import Service
from portalwerk.tenants import services as tenants


def listed(tenant, **kwargs):
    with schema_context(tenant.schema_name):
        return {e.service.slug: e for e in queries.services_for_portal(tenant, **kwargs)}


def test_a_member_lists_the_district_services_marked_and_linked(catalogue, tenant_a, district):
    entries = listed(tenant_a)
    # own services link to the member's own pages
    assert entries["wohnsitz-anmelden"].provider is None
    assert entries["wohnsitz-anmelden"].url == "/services/wohnsitz-anmelden/"
    # the district's are marked and link to the district's portal
    exam = entries["fischereipruefung"]
    assert exam.provider.name == "Kreis Testland"
    assert exam.url == "http://testland.localhost/services/fischereipruefung/"


def test_the_district_does_not_list_its_members_services(catalogue, district):
    entries = listed(district)
    assert "fischereipruefung" in entries
    assert "wohnsitz-anmelden" not in entries
    assert all(e.provider is None for e in entries.values())


def test_a_sibling_sees_the_district_but_never_another_member(catalogue, tenant_a, tenant_b):
    assert "wohnsitz-anmelden" in listed(tenant_a)  # alpha lists its own service
    entries = listed(tenant_b)
    assert "fischereipruefung" in entries
    assert "wohnsitz-anmelden" not in entries  # alpha's, not beta's


def test_unpublished_district_services_stay_hidden(catalogue, tenant_a, district):
    with schema_context(district.schema_name):
        Service.objects.filter(slug="fischereipruefung").update(is_published=False)
    assert "fischereipruefung" not in listed(tenant_a)


def test_a_suspended_district_is_not_listed(catalogue, tenant_a, district):
    with schema_context("public"):
        tenants.suspend_tenant(actor=system("tests"), slug="testland")
    tenant_a.refresh_from_db()
    assert "fischereipruefung" not in listed(tenant_a)


def test_category_pages_include_the_district_services_of_that_life_situation(catalogue, tenant_a):
    entries = listed(tenant_a, category="jagd-und-fischerei")
    assert {"fischereipruefung", "jaegerpruefung"} <= set(entries)
    assert "wohnsitz-anmelden" not in entries


def test_the_member_portal_shows_the_district_marker(catalogue, client_for, tenant_a, english):
    html = english(client_for(tenant_a)).get("/services/").content.decode()
    assert "provided by Kreis Testland" in html
    assert 'href="http://testland.localhost/services/jaegerpruefung/"' in html


def test_district_service_pages_are_not_served_on_a_member_host(catalogue, client_for, tenant_a):
    assert client_for(tenant_a).get("/services/jaegerpruefung/").status_code == 404
    assert client_for("testland.localhost").get("/services/jaegerpruefung/").status_code == 200


def test_the_district_read_restores_the_members_schema(catalogue, tenant_a):
    from django.db import connection

    with schema_context(tenant_a.schema_name):
        queries.district_services(tenant_a)
        assert connection.schema_name == tenant_a.schema_name


def test_the_member_portal_names_the_district_in_good_german(catalogue, client_for, tenant_a):
    client = client_for(tenant_a)
    listing = client.get("/services/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "angeboten vom Kreis Testland" in listing
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Der Kreis Testland bietet einige Leistungen" in home
    assert "Serviceportal der Stadt Alpha" in home
