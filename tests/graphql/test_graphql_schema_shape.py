"""Both schemas keep the conventions: every mutation answers with a payload that has `errors`
of its area's error type, and every list of objects at the root is the one connection type."""

import pytest
from strawberry.types.base import StrawberryList, StrawberryOptional, get_object_definition

from portalwerk.graphql.core.errors import ServiceError
from portalwerk.graphql.core.mutations import PayloadPermission, ServiceErrors
from portalwerk.graphql.core.pagination import Connection
from portalwerk.graphql.schema_platform import schema as platform_schema
from portalwerk.graphql.schema_tenant import schema as tenant_schema

SCHEMAS = pytest.mark.parametrize(
    "schema", [tenant_schema, platform_schema], ids=["tenant", "platform"]
)
# Root lists that are not pages of rows: computed free days and times of one request window,
# and short lists bounded by the tenant's configuration or the citizen's own applications.
NOT_PAGED = {"availableDays", "availableTimes", "appointmentServices", "mySubmissions"}


def _unwrap(type_):
    while isinstance(type_, StrawberryOptional):
        type_ = type_.of_type
    return type_


def _root_fields(root):
    return root.__strawberry_definition__.fields


@SCHEMAS
def test_every_mutation_goes_through_the_base_and_returns_errors(schema):
    fields = _root_fields(schema.mutation)
    assert fields
    for field in fields:
        kinds = [type(e) for e in field.extensions]
        # the permission first, then the service call with its errors
        assert kinds[:2] == [PayloadPermission, ServiceErrors], field.name
        payload = get_object_definition(field.type, strict=True)
        errors = next(f for f in payload.fields if f.python_name == "errors")
        assert isinstance(errors.type, StrawberryList), field.name
        assert issubclass(errors.type.of_type, ServiceError), field.name
        names = {f.python_name for f in get_object_definition(errors.type.of_type).fields}
        assert names == {"field", "code", "message"}, field.name


@SCHEMAS
def test_every_list_of_objects_is_the_one_connection(schema):
    connections, lists = [], []
    for field in _root_fields(schema.query):
        name = schema.config.name_converter.get_graphql_name(field)
        type_ = _unwrap(field.type)
        origin = getattr(type_, "__origin__", type_)
        if isinstance(type_, StrawberryList):
            lists.append(name)
        elif isinstance(origin, type) and "Connection" in origin.__name__:
            assert issubclass(origin, Connection), name
            connections.append(name)
    assert connections
    assert set(lists) <= NOT_PAGED, f"make these connections: {set(lists) - NOT_PAGED}"


def test_the_connections_share_page_info_and_count():
    sdl = str(tenant_schema)
    for name in ("ServiceConnection", "ClerkSubmissionConnection", "ClerkAppointmentConnection"):
        block = sdl.split(f"type {name} {{", 1)[1].split("}", 1)[0]
        assert "pageInfo: PageInfo!" in block and "totalCount: Int" in block, name
    assert "InboxPageInfo" not in sdl
