"""Public pages are cached for anonymous visitors; every visitor still gets a CSRF token of their
own, and a change in the back office shows at once."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from portalwerk.platform.catalog.models import Service

PATH = "/services/reisepass/"


def token_in(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_a_cached_page_needs_no_catalogue_query_and_says_the_same(catalogue, client_for, tenant_a):
    first = client_for(tenant_a).get(PATH).content.decode()
    with CaptureQueriesContext(connection) as queries:
        second = client_for(tenant_a).get(PATH).content.decode()
    assert not [q for q in queries.captured_queries if "catalog_" in q["sql"]]
    own = r'(value|nonce)="[^"]+"'  # each response's own CSRF token and CSP nonce
    assert re.sub(own, "", first) == re.sub(own, "", second)


def test_a_cached_page_carries_the_csp_nonce_of_its_own_response(catalogue, client_for, tenant_a):
    from portalwerk.platform.catalog.models import PortalSettings

    with schema_context(tenant_a.schema_name):
        PortalSettings.objects.update_or_create(defaults={"primary_colour": "#1d4f91"})
    nonces = []
    for _ in range(2):  # rendered, then from the cache
        response = client_for(tenant_a).get(PATH)
        nonce = re.search(r'<style nonce="([^"]+)">:root', response.content.decode()).group(1)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_every_visitor_gets_a_working_token_of_their_own(catalogue, client_for, tenant_a):
    from django.test import Client

    visitors = []
    for _ in range(2):
        client = client_for(tenant_a)
        client.handler.enforce_csrf_checks = True
        html = client.get(PATH).content.decode()
        visitors.append((client, token_in(html)))
    assert "__portalwerk_csrf_token__" not in html
    (one, token_one), (two, token_two) = visitors
    assert token_one != token_two
    # each visitor's language switch works with the token on their (cached) page
    response = two.post(
        "/i18n/setlang/", {"language": "en", "next": PATH, "csrfmiddlewaretoken": token_two}
    )
    assert response.status_code == 302
    assert "<h1>Apply for a passport</h1>" in two.get(PATH).content.decode()
    # and another visitor's token is refused
    stranger = Client(HTTP_HOST=one.host, enforce_csrf_checks=True)
    stranger.get(PATH)
    refused = stranger.post(
        "/i18n/setlang/", {"language": "en", "next": PATH, "csrfmiddlewaretoken": "x" * 64}
    )
    assert refused.status_code == 403


def test_languages_are_cached_apart(catalogue, client_for, tenant_a, english):
    assert "<h1>Reisepass beantragen</h1>" in client_for(tenant_a).get(PATH).content.decode()
    html = english(client_for(tenant_a)).get(PATH).content.decode()
    assert "<h1>Apply for a passport</h1>" in html


def test_a_change_in_the_back_office_shows_at_once(catalogue, clerk, client_for, tenant_a):
    citizen = client_for(tenant_a)
    assert citizen.get(PATH).status_code == 200  # cached now
    office = client_for(tenant_a)
    office.sign_in(clerk.email)
    with schema_context(tenant_a.schema_name):
        pk = Service.objects.get(slug="reisepass").pk
    response = office.post(
        "/backoffice/catalog/service/",
        {"action": "unpublish", "_selected_action": [pk]},
    )
    assert response.status_code == 302
    assert citizen.get(PATH).status_code == 404
    assert "reisepass" not in citizen.get("/services/").content.decode()


def test_signed_in_visitors_are_never_served_a_cached_page(
    catalogue, citizen, client_for, tenant_a
):
    client_for(tenant_a).get(PATH)  # cached for anonymous visitors
    signed_in = client_for(tenant_a)
    signed_in.sign_in(citizen.email)
    html = signed_in.get(PATH).content.decode()
    assert "Sign out" in html or "Abmelden" in html
    assert "citizen" in html
