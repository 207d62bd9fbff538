"""The tenant API, served at /graphql/ on every tenant host."""

import strawberry

from portalwerk.graphql.core.schema import build_schema
from portalwerk.graphql.forms.mutations import FormsMutation
from portalwerk.graphql.forms.queries import FormsQuery
from portalwerk.graphql.tenants.queries import TenantQuery


@strawberry.type
class Query(TenantQuery, FormsQuery):
    pass


@strawberry.type
class Mutation(FormsMutation):
    pass


schema = build_schema(Query, Mutation)
