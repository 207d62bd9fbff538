"""The `soap` data source against a WSGI SOAP endpoint on loopback that serves the WSDL in
fixtures/ and validates every request against its schema."""

from __future__ import annotations

from django_tenants.utils import schema_context

from portalwerk.platform.datasources import fetching
from portalwerk.platform.datasources.models import DataSource
from tests.helpers.sources import make_source

# zeep hands a response whose only part is the repeated <water> over as that list
MAPPING = {"list_path": "$[*]", "value_key": "code", "label_key": "name"}


def soap_source(tenant, admin, server, **kwargs):
    return make_source(
        tenant,
        admin,
        plugin="soap",
        wsdl_url=server.wsdl_url,
        operation="ListWaters",
        **{"arguments": '{"region": "nord"}', **MAPPING, **kwargs},
    )


def test_options_come_from_the_operations_response(tenant_a, tenant_admin, soap_server):
    soap_source(tenant_a, tenant_admin, soap_server)
    with schema_context(tenant_a.schema_name):
        offered = fetching.options("waters")
        fetching.options("waters")  # within the lifetime: not asked again
    assert offered.state == "fresh"
    assert offered.options == [
        {"value": "aller", "label": "Aller"},
        {"value": "leine", "label": "Leine"},
    ]
    assert (soap_server.calls, soap_server.invalid_requests) == (1, 0)


def test_a_soap_fault_gives_the_fallback(tenant_a, tenant_admin, soap_server):
    soap_server.mode = "fault"
    soap_source(tenant_a, tenant_admin, soap_server, fallback=[{"value": "x", "label": "X"}])
    with schema_context(tenant_a.schema_name):
        offered = fetching.options("waters")
        assert DataSource.objects.get().last_problem == "source_error"
    assert (offered.state, [o["value"] for o in offered.options]) == ("fallback", ["x"])


def test_broken_xml_is_no_answer(tenant_a, tenant_admin, soap_server):
    soap_server.mode = "garbage"
    soap_source(tenant_a, tenant_admin, soap_server)
    with schema_context(tenant_a.schema_name):
        assert fetching.options("waters").state == "unavailable"
        assert DataSource.objects.get().last_problem == "invalid"


def test_arguments_the_wsdl_does_not_know_are_a_configuration_problem(
    tenant_a, tenant_admin, soap_server
):
    soap_source(tenant_a, tenant_admin, soap_server, arguments='{"county": "nord"}')
    with schema_context(tenant_a.schema_name):
        assert fetching.options("waters").state == "unavailable"
        assert DataSource.objects.get().last_problem == "configuration"
    assert soap_server.calls == 0


def test_a_wsdl_that_cannot_be_loaded_is_a_configuration_problem(tenant_a, tenant_admin):
    make_source(
        tenant_a,
        tenant_admin,
        plugin="soap",
        wsdl_url="http://127.0.0.1:9/none?wsdl",
        operation="ListWaters",
        **MAPPING,
    )
    with schema_context(tenant_a.schema_name):
        assert fetching.options("waters").state == "unavailable"
        assert DataSource.objects.get().last_problem == "unreachable"
