import strawberry

from portalwerk.graphql.tenants.mutations.create_tenant import create_tenant


@strawberry.type
class PlatformTenantMutation:
    create_tenant = create_tenant
