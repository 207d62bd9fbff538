import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portalwerk.platform.authz.actors import system
from portalwerk.tenants import services
from portalwerk.tenants.models import Domain


def test_tenant_host_serves_its_own_portal(client_for, tenant_a):
    # when a citizen opens the tenant's address
    response = client_for(tenant_a).get("/")
    # then they see that tenant's portal
    assert response.status_code == 200
    assert "Stadt Alpha" in response.content.decode()


def test_base_host_serves_the_platform_page_listing_tenants(client_for, tenant_a):
    response = client_for("localhost").get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Portalwerk" in page
    assert "http://alpha.localhost" in page


def test_unknown_host_gets_a_plain_404_page(client_for):
    response = client_for("nowhere.localhost").get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "There is no portal at nowhere.localhost" in response.content.decode()


def test_unknown_host_page_is_german_by_default(client_for):
    response = client_for("nowhere.localhost").get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 404
    assert '<html lang="de">' in response.content.decode()


def test_malformed_host_header_is_a_404_not_a_500(client_for):
    response = client_for("bad host!").get("/")
    assert response.status_code == 404


def test_suspended_tenant_gets_a_503_page_in_german_and_english(client_for, tenant_a):
    # given a suspended tenant
    services.suspend_tenant(actor=system("test"), slug=tenant_a.slug)
    # when a citizen opens its portal
    response = client_for(tenant_a).get("/")
    # then the portal says in both languages that it is unavailable, and nothing else
    assert response.status_code == 503
    page = response.content.decode()
    assert "Portal vorübergehend nicht verfügbar" in page
    assert "Portal temporarily unavailable" in page
    assert response["Retry-After"]
    # and the GraphQL API is closed as well
    assert client_for(tenant_a).post("/graphql/", {}).status_code == 503


def test_resumed_tenant_serves_again(client_for, tenant_a, django_capture_on_commit_callbacks):
    # the services drop this process's cached host entry once their transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        services.suspend_tenant(actor=system("test"), slug=tenant_a.slug)
    assert client_for(tenant_a).get("/").status_code == 503
    with django_capture_on_commit_callbacks(execute=True):
        services.resume_tenant(actor=system("test"), slug=tenant_a.slug)
    assert client_for(tenant_a).get("/").status_code == 200


def test_tenant_lookup_by_host_costs_no_query_once_warm(client_for, tenant_a):
    client = client_for(tenant_a)
    client.get("/")  # warms the cache
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    lookups = [q["sql"] for q in queries.captured_queries if "tenants_domain" in q["sql"]]
    assert lookups == []


def test_custom_domain_routes_to_its_tenant(client_for, tenant_a):
    Domain.objects.create(domain="portal.alpha.example", tenant=tenant_a, is_primary=False)
    response = client_for("portal.alpha.example").get("/")
    assert response.status_code == 200
    assert "Stadt Alpha" in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/accounts/sign-in/"])
def test_every_tenant_page_runs_in_that_tenants_schema(client_for, tenant_b, path):
    response = client_for(tenant_b).get(path)
    assert response.status_code == 200
    assert "Gemeinde Beta" in response.content.decode()
