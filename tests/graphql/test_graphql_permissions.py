"""Every root field of both schemas declares who may call it."""

import pytest
import strawberry

from portalwerk.graphql.core.permissions import AllowAnonymous, IsOperator, undeclared_root_fields
from portalwerk.graphql.core.schema import build_schema
from portalwerk.graphql.schema_platform import schema as platform_schema
from portalwerk.graphql.schema_tenant import schema as tenant_schema


@pytest.mark.parametrize("schema", [tenant_schema, platform_schema], ids=["tenant", "platform"])
def test_every_query_and_mutation_field_declares_its_permission(schema):
    assert undeclared_root_fields(schema) == [], (
        "Give these fields permission_classes=[...] (AllowAnonymous if anyone may call them)"
    )


def test_a_field_without_permission_is_reported():
    # given a schema with one declared and one undeclared field, and an undeclared mutation
    @strawberry.type
    class Query:
        @strawberry.field(permission_classes=[AllowAnonymous])
        def open_to_all(self) -> str:
            return "yes"

        @strawberry.field
        def forgotten(self) -> str:
            return "oops"

    @strawberry.type
    class Mutation:
        @strawberry.mutation(permission_classes=[IsOperator])
        def guarded(self) -> str:
            return "ok"

        @strawberry.mutation
        def wide_open(self) -> str:
            return "oops"

    # when the check walks it, then it names exactly the undeclared fields
    assert undeclared_root_fields(build_schema(Query, Mutation)) == [
        "Query.forgotten",
        "Mutation.wideOpen",
    ]
