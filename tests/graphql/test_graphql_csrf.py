"""CSRF: a request that carries a session cookie must carry the CSRF token; cookie-less API calls
need none (they carry no one's authority)."""

import json

import pytest
from django.conf import settings

from portalwerk.tenants.models import Tenant

CREATE = """
mutation { createTenant(input: {name: "Gemeinde Gamma", slug: "gamma", kind: MUNICIPALITY}) {
  tenant { slug } errors { code } } }
"""
COUNT = "{ tenants { totalCount } }"


def _strict(client):
    """From now on the client's requests are CSRF-checked, as a browser's are."""
    client.handler.enforce_csrf_checks = True
    return client


def _post_json(client, query: str, **extra):
    return client.post(
        "/graphql/", data=json.dumps({"query": query}), content_type="application/json", **extra
    )


@pytest.fixture
def operator_browser(signed_in, platform_tenant, operator):
    client = _strict(signed_in(platform_tenant, operator))
    assert settings.SESSION_COOKIE_NAME in client.cookies
    return client


def test_mutation_with_session_but_without_token_is_refused(operator_browser):
    # given an operator's browser with a session, and a page on another site posting JSON to it
    # when the request arrives without the CSRF token
    response = _post_json(operator_browser, CREATE)
    # then it is refused and nothing is created
    assert response.status_code == 403
    assert not Tenant.objects.filter(slug="gamma").exists()


def test_cross_site_form_post_riding_on_the_session_is_refused(operator_browser):
    # given a cross-site HTML form (no JSON, no token) posting a mutation with the victim's cookies
    response = operator_browser.post("/graphql/", {"query": CREATE})
    assert response.status_code == 403
    assert not Tenant.objects.filter(slug="gamma").exists()


def test_session_with_token_from_the_own_origin_is_served(operator_browser):
    # given the operator's own page, which sends the token from the csrftoken cookie
    token = operator_browser.cookies[settings.CSRF_COOKIE_NAME].value
    # when it posts a query
    response = _post_json(operator_browser, COUNT, HTTP_X_CSRFTOKEN=token)
    # then it is answered
    assert response.status_code == 200
    assert response.json()["data"]["tenants"]["totalCount"] == 3


def test_token_from_another_origin_is_refused(operator_browser):
    token = operator_browser.cookies[settings.CSRF_COOKIE_NAME].value
    response = _post_json(
        operator_browser, CREATE, HTTP_X_CSRFTOKEN=token, HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    assert not Tenant.objects.filter(slug="gamma").exists()


def test_signed_in_citizen_on_a_tenant_host_needs_the_token_too(signed_in, tenant_a, citizen):
    client = _strict(signed_in(tenant_a, citizen))
    assert _post_json(client, "{ tenant { name } }").status_code == 403
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = _post_json(client, "{ tenant { name } }", HTTP_X_CSRFTOKEN=token)
    assert response.json()["data"]["tenant"]["name"] == "Stadt Alpha"


def test_cookie_less_app_calls_the_tenant_api_without_a_token(client_for, tenant_a):
    # given a citizen's app that sends no cookies at all
    client = _strict(client_for(tenant_a))
    # when it posts a query
    response = _post_json(client, "{ tenant { name } }")
    # then it is answered
    assert response.status_code == 200
    assert response.json()["data"]["tenant"]["name"] == "Stadt Alpha"
