"""The operator API, served at /graphql/ on the platform (base) host."""

import strawberry

from portalwerk.graphql.core.schema import build_schema
from portalwerk.graphql.tenants.mutations import PlatformTenantMutation
from portalwerk.graphql.tenants.queries import PlatformTenantQuery


@strawberry.type
class Query(PlatformTenantQuery):
    pass


@strawberry.type
class Mutation(PlatformTenantMutation):
    pass


schema = build_schema(Query, Mutation)
