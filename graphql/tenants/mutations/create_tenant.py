from __future__ import annotations

import strawberry
from strawberry import Info

from portalwerk.graphql.core.mutations import mutation
from portalwerk.graphql.core.permissions import IsOperator
from portalwerk.graphql.tenants.errors import TenantError
from portalwerk.graphql.tenants.types import TenantKind, TenantModule, TenantNode
from portalwerk.tenants import services


@strawberry.input(description="A district, municipality or association to onboard.")
class CreateTenantInput:
    name: str
    slug: str = strawberry.field(
        description="Lower-case letters, digits and dashes; the host name."
    )
    kind: TenantKind
    parent_slug: str | None = strawberry.field(
        default=None, description="The slug of the district a municipality belongs to."
    )
    official_key: str = strawberry.field(
        default="", description="Municipality key (AGS, 8 digits) or regional key (ARS, 12 digits)."
    )
    domains: list[str] = strawberry.field(
        default_factory=list, description="Custom host names besides <slug>.<base domain>."
    )
    modules: list[TenantModule] | None = strawberry.field(
        default=None, description="The modules to switch on; all of them when left out."
    )
    admin_email: str = strawberry.field(
        default="",
        description="Optional: invited as the first tenant admin (the mail carries a link to "
        "choose a password, valid 7 days); resendAdminInvitation sends it again. Left out, an "
        "operator invites one later (`portalwerk staff invite`).",
    )


@strawberry.type
class CreateTenantPayload:
    errors: list[TenantError] = strawberry.field(
        default_factory=list, description="Empty when the mutation succeeded."
    )
    tenant: TenantNode | None = None


@mutation(
    permission=IsOperator,
    description="Onboard a tenant: its row, domains and a schema cloned from the template.",
    fields={"parent": "parent_slug"},
)
def create_tenant(info: Info, input: CreateTenantInput) -> CreateTenantPayload:
    data = services.NewTenant(
        name=input.name,
        slug=input.slug,
        kind=input.kind.value,
        parent_slug=input.parent_slug,
        official_key=input.official_key,
        domains=tuple(input.domains),
        modules=None if input.modules is None else [module.value for module in input.modules],
        admin_email=input.admin_email,
    )
    tenant = services.create_tenant(actor=info.context.request.actor, data=data)
    return CreateTenantPayload(tenant=tenant)
