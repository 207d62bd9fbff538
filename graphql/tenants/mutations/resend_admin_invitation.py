from __future__ import annotations

import strawberry
from strawberry import Info

from portalwerk.graphql.core.mutations import mutation
from portalwerk.graphql.core.permissions import IsOperator
from portalwerk.graphql.tenants.errors import TenantError
from portalwerk.tenants import onboarding, services


@strawberry.type
class ResendAdminInvitationPayload:
    errors: list[TenantError] = strawberry.field(
        default_factory=list, description="Empty when the mutation succeeded."
    )
    sent_to: list[str] = strawberry.field(
        default_factory=list, description="The tenant admins invited again."
    )


@mutation(
    permission=IsOperator,
    description="Send the invitation again to the tenant's admins who have not accepted it.",
)
def resend_admin_invitation(info: Info, slug: str) -> ResendAdminInvitationPayload:
    tenant = services.get_tenant(slug)
    sent = onboarding.resend_admin_invitation(actor=info.context.request.actor, tenant=tenant)
    return ResendAdminInvitationPayload(sent_to=sent)
