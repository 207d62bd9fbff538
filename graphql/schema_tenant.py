"""The tenant API, served at /graphql/ on every tenant host."""

import strawberry

from portalwerk.graphql.core.schema import build_schema
from portalwerk.graphql.tenants.queries import TenantQuery


@strawberry.type
class Query(TenantQuery):
    pass


schema = build_schema(Query)
