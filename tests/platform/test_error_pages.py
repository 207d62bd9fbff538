"""The 400 and 500 pages of both hosts are ours: translated, and rendered without the database
(the 503 of an outage is shown with a real PostgreSQL stop in test_production_process.py)."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import get_resolver

from portalwerk.platform.security import pages


@pytest.mark.parametrize(
    "urlconf", ["portalwerk.platform.urls_tenant", "portalwerk.platform.urls_public"]
)
def test_both_hosts_answer_errors_with_our_pages(urlconf):
    resolver = get_resolver(urlconf)
    assert resolver.resolve_error_handler(400) is pages.bad_request_page
    assert resolver.resolve_error_handler(500) is pages.server_error_page


@pytest.mark.parametrize(
    "language, heading", [("de", "Etwas ist schiefgelaufen"), ("en", "Something went wrong")]
)
def test_a_crash_is_a_500_page_in_the_visitors_language(language, heading):
    # no database for this test: a query would fail it
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=language)
    try:
        raise RuntimeError("a defect")
    except RuntimeError:
        response = pages.server_error_page(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{language}">' in html and heading in html
    assert "Server Error (500)" not in html


def test_a_lost_database_connection_is_a_503_and_graphql_clients_get_json():
    request = RequestFactory().post("/graphql/", HTTP_ACCEPT_LANGUAGE="en")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = pages.server_error_page(request)
    assert response.status_code == 503 and response["Retry-After"] == "30"
    error = json.loads(response.content)["errors"][0]
    assert error["extensions"]["code"] == "service_unavailable"
    assert error["message"] == "The service is unavailable for a moment. Please try again later."
