import strawberry

from portalwerk.graphql.tenants.mutations.create_tenant import create_tenant
from portalwerk.graphql.tenants.mutations.resend_admin_invitation import resend_admin_invitation
from portalwerk.graphql.tenants.mutations.set_modules import set_modules
from portalwerk.graphql.tenants.mutations.set_tenant_modules import set_tenant_modules


@strawberry.type
class PlatformTenantMutation:
    create_tenant = create_tenant
    set_tenant_modules = set_tenant_modules
    resend_admin_invitation = resend_admin_invitation


@strawberry.type
class TenantModulesMutation:
    """Tenant API: the tenant admin's module switches."""

    set_modules = set_modules
