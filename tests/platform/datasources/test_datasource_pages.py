"""The tenant admin's data source pages in the back office, through the Django test client:
adding a REST source, its errors at their fields, "test the source" saying in plain words what
came back, and nobody but tenant admins reaching the pages."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.audit.models import Entry
from portalwerk.platform.datasources.models import DataSource
from tests.helpers.sources import Route, make_source

WATERS = {"waters": [{"id": "aller", "name": "Aller"}, {"id": "leine", "name": "Leine"}]}


def admin_client(client_for, tenant, admin):
    client = client_for(tenant)
    client.sign_in(admin.email)
    return client


def form_data(url: str, **changes) -> dict:
    return {
        "name": "Angelgewässer",
        "key": "waters",
        "timeout_seconds": "2",
        "cache_seconds": "600",
        "fallback": "other | Ein anderes Gewässer",
        "is_active": "on",
        "config-url": url,
        "config-list_path": "$.waters[*]",
        "config-value_key": "id",
        "config-label_key": "name",
        **changes,
    }


def test_a_tenant_admin_adds_a_rest_source(client_for, tenant_a, tenant_admin, json_server):
    client = admin_client(client_for, tenant_a, tenant_admin)
    assert client.get("/backoffice/datasources/").status_code == 200
    page = client.get("/backoffice/datasources/new/rest/", HTTP_ACCEPT_LANGUAGE="de")
    assert "Pfad zur Liste der Auswahlmöglichkeiten" in page.content.decode()
    response = client.post(
        "/backoffice/datasources/new/rest/", form_data(json_server.url("/waters"))
    )
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        source = DataSource.objects.get()
        assert (source.key, source.plugin, source.cache_seconds) == ("waters", "rest", 600)
        assert source.fallback_options == [{"value": "other", "label": "Ein anderes Gewässer"}]
        assert Entry.objects.filter(action="datasource.saved").count() == 1
    listing = client.get("/backoffice/datasources/").content.decode()
    assert "Angelgewässer" in listing


def test_mistakes_are_shown_at_their_fields(client_for, tenant_a, tenant_admin):
    client = admin_client(client_for, tenant_a, tenant_admin)
    response = client.post(
        "/backoffice/datasources/new/rest/",
        form_data("file:///etc/passwd", timeout_seconds="60", **{"config-list_path": "$$"}),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_config-url"' in page
    assert 'href="#id_config-list_path"' in page
    assert 'href="#id_timeout_seconds"' in page
    with schema_context(tenant_a.schema_name):
        assert not DataSource.objects.exists()


def test_a_key_is_used_once(client_for, tenant_a, tenant_admin, json_server):
    make_source(tenant_a, tenant_admin, url=json_server.url("/x"))
    client = admin_client(client_for, tenant_a, tenant_admin)
    response = client.post(
        "/backoffice/datasources/new/rest/",
        form_data(json_server.url("/waters")),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Another data source has this key." in response.content.decode()


def test_testing_the_source_says_what_it_answered(client_for, tenant_a, tenant_admin, json_server):
    json_server.routes["/waters"] = Route(WATERS)
    source = make_source(
        tenant_a,
        tenant_admin,
        url=json_server.url("/waters"),
        list_path="$.waters",
        value_key="id",
        label_key="name",
    )
    client = admin_client(client_for, tenant_a, tenant_admin)
    page = client.post(
        f"/backoffice/datasources/{source.pk}/test/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "The source answered with 2 options:" in page
    assert "Aller" in page and "<code>leine</code>" in page
    # when the source then fails, the test says so in plain words
    json_server.routes["/waters"] = Route("<html>", status=200)
    page = client.post(
        f"/backoffice/datasources/{source.pk}/test/", HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert "Die Quelle hat mit etwas geantwortet, das keine gültigen Daten sind." in page
    assert json_server.hits["/waters"] == 2


def test_a_saved_token_is_not_shown_and_kept_when_left_empty(
    client_for, tenant_a, tenant_admin, json_server
):
    source = make_source(
        tenant_a, tenant_admin, url=json_server.url("/waters"), bearer_token="s3cret-token"
    )
    client = admin_client(client_for, tenant_a, tenant_admin)
    page = client.get(f"/backoffice/datasources/{source.pk}/").content.decode()
    assert "s3cret-token" not in page
    response = client.post(
        f"/backoffice/datasources/{source.pk}/",
        form_data(json_server.url("/waters"), name="Gewässer neu"),
    )
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        source.refresh_from_db()
    assert (source.name, source.config["bearer_token"]) == ("Gewässer neu", "s3cret-token")


@pytest.mark.parametrize("who", ["anonymous", "clerk", "other_tenant_clerk"])
def test_only_tenant_admins_reach_the_pages(
    client_for, tenant_a, tenant_admin, json_server, who, request
):
    source = make_source(tenant_a, tenant_admin, url=json_server.url("/waters"))
    client = client_for(tenant_a)
    if who != "anonymous":
        client.sign_in(request.getfixturevalue(who).email)
    for url in (
        "/backoffice/datasources/",
        "/backoffice/datasources/new/rest/",
        f"/backoffice/datasources/{source.pk}/",
    ):
        assert client.get(url).status_code in (302, 404)
    response = client.post(f"/backoffice/datasources/{source.pk}/", form_data("http://x.test/"))
    assert response.status_code in (302, 404)
    assert client.post(f"/backoffice/datasources/{source.pk}/test/").status_code in (302, 404)
    assert json_server.hits["/waters"] == 0
    with schema_context(tenant_a.schema_name):
        source.refresh_from_db()
        assert source.name == "Waters"
