"""A tenant with its catalogue switched off shows no catalogue pages and the API says so."""

import json

from portalwerk.tenants import routing
from portalwerk.tenants.models import Tenant

QUERY = "{ categories(first: 5) { edges { node { name } } } }"


def categories(client) -> dict:
    response = client.post(
        "/graphql/", data=json.dumps({"query": QUERY}), content_type="application/json"
    )
    assert response.status_code == 200
    return response.json()


def test_a_switched_off_catalogue_answers_not_available_on_pages_and_api(
    catalogue, client_for, tenant_a
):
    assert client_for(tenant_a).get("/services/reisepass/").status_code == 200
    assert "errors" not in categories(client_for(tenant_a))
    # when the tenant switches its catalogue off
    Tenant.objects.filter(pk=tenant_a.pk).update(modules=["forms", "appointments", "payments"])
    routing.forget()
    # then its pages are gone, the API says the module is off, the home page stays
    assert client_for(tenant_a).get("/services/reisepass/").status_code == 404
    assert client_for(tenant_a).get("/search/?q=pass").status_code == 404
    body = categories(client_for(tenant_a))
    assert [e["extensions"]["code"] for e in body["errors"]] == ["module_off"]
    assert client_for(tenant_a).get("/").status_code == 200
