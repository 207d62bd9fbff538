"""Tenant admins switch their own tenant's modules, within its contract (tenant schema)."""

from __future__ import annotations

import strawberry
from strawberry import Info

from portalwerk.graphql.accounts.permissions import IsModuleManager
from portalwerk.graphql.core.mutations import mutation
from portalwerk.graphql.tenants.errors import TenantError
from portalwerk.graphql.tenants.types import TenantModule
from portalwerk.tenants import module_settings


@strawberry.type
class SetModulesPayload:
    errors: list[TenantError] = strawberry.field(
        default_factory=list, description="Empty when the mutation succeeded."
    )
    modules: list[TenantModule] | None = strawberry.field(
        default=None, description="The modules on now."
    )
    allowed_modules: list[TenantModule] | None = strawberry.field(
        default=None, description="What the contract allows."
    )


@mutation(
    permission=IsModuleManager,
    description="Switch this tenant's modules on and off (only those its contract allows: "
    "code module_not_allowed). Switching off hides pages and API and keeps the data.",
)
def set_modules(
    info: Info, on: list[TenantModule] | None = None, off: list[TenantModule] | None = None
) -> SetModulesPayload:
    request = info.context.request
    tenant = module_settings.set_modules(
        actor=request.actor,
        slug=request.tenant.slug,
        on=[m.value for m in on or []],
        off=[m.value for m in off or []],
    )
    return SetModulesPayload(
        modules=[TenantModule(m) for m in tenant.modules],
        allowed_modules=[TenantModule(m) for m in tenant.allowed_modules],
    )
