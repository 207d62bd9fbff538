"""The `rest` data source against a real HTTP server on loopback: options mapped from JSON, the
cache within its lifetime, and every way a source can fail ending in the last good answer, the
fallback or nothing, with the failure logged without the answer's content."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from portalwerk.platform.datasources import fetching
from portalwerk.platform.datasources.models import DataSource
from tests.helpers.sources import Route, make_source

WATERS = {"data": {"waters": [{"id": "aller", "name": "Aller"}, {"id": "leine", "name": "Leine"}]}}
MAPPING = {"list_path": "$.data.waters[*]", "value_key": "id", "label_key": "name"}


def rest_source(tenant, admin, server, path="/waters", **kwargs):
    return make_source(tenant, admin, url=server.url(path), **{**MAPPING, **kwargs})


def test_options_come_from_the_json_answer(tenant_a, tenant_admin, json_server):
    json_server.routes["/waters"] = Route(WATERS)
    rest_source(tenant_a, tenant_admin, json_server)
    with schema_context(tenant_a.schema_name):
        offered = fetching.options("waters")
    assert offered.state == "fresh"
    assert offered.options == [
        {"value": "aller", "label": "Aller"},
        {"value": "leine", "label": "Leine"},
    ]


def test_a_second_request_within_the_lifetime_does_not_ask_the_server(
    tenant_a, tenant_admin, json_server
):
    json_server.routes["/waters"] = Route(WATERS)
    rest_source(tenant_a, tenant_admin, json_server)
    with schema_context(tenant_a.schema_name):
        fetching.options("waters")
        fetching.options("waters")
        assert json_server.hits["/waters"] == 1
        # when the lifetime has passed, the server is asked again
        DataSource.objects.update(fetched_at=timezone.now() - timedelta(hours=2))
        fetching.options("waters")
    assert json_server.hits["/waters"] == 2


def test_a_token_is_sent_as_bearer(tenant_a, tenant_admin, json_server):
    json_server.routes["/waters"] = Route(WATERS)
    rest_source(tenant_a, tenant_admin, json_server, bearer_token="s3cret")
    with schema_context(tenant_a.schema_name):
        fetching.options("waters")
    assert json_server.headers["/waters"]["Authorization"] == "Bearer s3cret"


def expire(tenant):
    with schema_context(tenant.schema_name):
        DataSource.objects.update(fetched_at=timezone.now() - timedelta(days=1))


def test_a_failing_source_falls_back_to_its_last_good_answer(tenant_a, tenant_admin, json_server):
    json_server.routes["/waters"] = Route(WATERS)
    rest_source(tenant_a, tenant_admin, json_server)
    with schema_context(tenant_a.schema_name):
        fetching.options("waters")
    expire(tenant_a)
    json_server.routes["/waters"] = Route("oops", status=500)
    with schema_context(tenant_a.schema_name):
        offered = fetching.options("waters")
        source = DataSource.objects.get()
    assert offered.state == "stale"
    assert [o["value"] for o in offered.options] == ["aller", "leine"]
    assert (source.last_problem, source.last_detail) == ("source_error", "HTTP 500")


def failing(tenant, admin, server, route, caplog, **kwargs):
    server.routes["/bad"] = route
    rest_source(
        tenant, admin, server, "/bad", fallback=[{"value": "other", "label": "Other"}], **kwargs
    )
    with caplog.at_level(logging.WARNING, logger="portalwerk.datasources"):
        with schema_context(tenant.schema_name):
            offered = fetching.options("waters")
            source = DataSource.objects.get()
    return offered, source


def test_garbage_is_no_answer(tenant_a, tenant_admin, json_server, caplog):
    offered, source = failing(
        tenant_a, tenant_admin, json_server, Route("<html>Erika Mustermann</html>"), caplog
    )
    assert offered.state == "fallback"
    assert offered.options == [{"value": "other", "label": "Other"}]
    assert source.last_problem == "invalid"
    # the failure is logged, what the source answered is not
    assert "waters" in caplog.text and "invalid" in caplog.text
    assert "Mustermann" not in caplog.text


def test_an_answer_of_the_wrong_shape_is_no_answer(tenant_a, tenant_admin, json_server, caplog):
    offered, source = failing(
        tenant_a, tenant_admin, json_server, Route({"data": {"waters": "none"}}), caplog
    )
    assert (offered.state, source.last_problem) == ("fallback", "wrong_shape")


def test_options_without_their_value_are_the_wrong_shape(
    tenant_a, tenant_admin, json_server, caplog
):
    answer = {"data": {"waters": [{"id": "aller"}, {"name": "no id"}]}}
    offered, source = failing(tenant_a, tenant_admin, json_server, Route(answer), caplog)
    assert (offered.state, source.last_problem) == ("fallback", "wrong_shape")


def test_a_slow_source_is_not_waited_for(tenant_a, tenant_admin, json_server, caplog):
    offered, source = failing(
        tenant_a, tenant_admin, json_server, Route(WATERS, delay=3), caplog, timeout=1
    )
    assert (offered.state, source.last_problem) == ("fallback", "timeout")


def test_a_trickling_answer_is_cut_off_at_the_deadline(tenant_a, tenant_admin, json_server, caplog):
    started = timezone.now()
    offered, source = failing(
        tenant_a, tenant_admin, json_server, Route(WATERS, trickle=0.05), caplog, timeout=1
    )
    assert (offered.state, source.last_problem) == ("fallback", "timeout")
    assert timezone.now() - started < timedelta(seconds=3)


def test_a_too_large_answer_is_refused(tenant_a, tenant_admin, json_server, caplog):
    big = {"data": {"waters": [{"id": f"w{i}", "name": "x" * 100} for i in range(300)]}}
    offered, source = failing(tenant_a, tenant_admin, json_server, Route(big), caplog)
    assert (offered.state, source.last_problem) == ("fallback", "too_large")


def test_too_many_options_are_refused(tenant_a, tenant_admin, json_server, caplog):
    many = {"data": {"waters": [{"id": f"w{i}", "name": f"W {i}"} for i in range(51)]}}
    offered, source = failing(tenant_a, tenant_admin, json_server, Route(many), caplog)
    assert (offered.state, source.last_problem) == ("fallback", "too_large")


def test_a_source_that_is_down_gives_nothing_without_a_fallback(tenant_a, tenant_admin):
    make_source(tenant_a, tenant_admin, url="http://127.0.0.1:9/none", **MAPPING)
    with schema_context(tenant_a.schema_name):
        offered = fetching.options("waters")
        assert DataSource.objects.get().last_problem == "unreachable"
    assert (offered.state, offered.options) == ("unavailable", [])


def test_a_value_is_read_at_its_path(tenant_a, tenant_admin, json_server):
    json_server.routes["/office"] = Route({"office": {"phone": "0511 123456", "rooms": [1, 2]}})
    make_source(tenant_a, tenant_admin, key="office", url=json_server.url("/office"))
    with schema_context(tenant_a.schema_name):
        assert fetching.value("office", "$.office.phone") == "0511 123456"
        assert fetching.value("office", "office.rooms[1]") == "2"
        assert fetching.value("office", "office.missing") is None
    assert json_server.hits["/office"] == 1


def test_sources_belong_to_their_tenant(tenant_a, tenant_b, tenant_admin, json_server):
    json_server.routes["/waters"] = Route(WATERS)
    rest_source(tenant_a, tenant_admin, json_server)
    with schema_context(tenant_b.schema_name):
        assert fetching.options("waters").state == "unavailable"
    assert json_server.hits["/waters"] == 0


def test_a_source_on_the_portals_own_machine_is_refused_outside_development(settings):
    from portalwerk.platform.datasources.base import Limits, SourceError
    from portalwerk.platform.datasources.contrib.rest.source import RestConfig
    from portalwerk.platform.datasources.contrib.soap.source import SoapConfig
    from portalwerk.platform.datasources.http import get

    settings.PORTALWERK_ALLOW_LOCAL_ADDRESSES = False
    for url in ("http://127.0.0.1:8000/waters.json", "https://169.254.169.254/latest/"):
        rest = RestConfig(data={"url": url, "list_path": "$", "value_key": "id"})
        assert not rest.is_valid() and "url" in rest.errors
        soap = SoapConfig(data={"wsdl_url": url, "operation": "x", "list_path": "$"})
        assert not soap.is_valid() and "wsdl_url" in soap.errors
        # and one saved before is not asked either
        try:
            get(url, Limits(timeout=1, max_bytes=1000))
        except SourceError as error:
            assert error.problem == "configuration"
        else:
            raise AssertionError("a local address was fetched")
