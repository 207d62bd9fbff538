"""Operators switch a tenant's modules and set what its contract allows (platform schema)."""

from __future__ import annotations

from strawberry import Info

from portalwerk.graphql.core.mutations import mutation
from portalwerk.graphql.core.permissions import IsOperator
from portalwerk.graphql.tenants.mutations.create_tenant import CreateTenantPayload
from portalwerk.graphql.tenants.types import TenantModule
from portalwerk.tenants import module_settings, services


@mutation(
    permission=IsOperator,
    description="Switch modules on and off; `allowed` (when given, first) sets what the "
    "tenant's contract allows, switching off what it no longer allows. Data is kept.",
)
def set_tenant_modules(
    info: Info,
    slug: str,
    on: list[TenantModule] | None = None,
    off: list[TenantModule] | None = None,
    allowed: list[TenantModule] | None = None,
) -> CreateTenantPayload:
    actor = info.context.request.actor
    tenant = services.get_tenant(slug)
    if allowed is not None:
        module_settings.set_allowed_modules(
            actor=actor, slug=tenant.slug, allowed=[m.value for m in allowed]
        )
    tenant = module_settings.set_modules(
        actor=actor,
        slug=tenant.slug,
        on=[m.value for m in on or []],
        off=[m.value for m in off or []],
    )
    return CreateTenantPayload(tenant=tenant)
