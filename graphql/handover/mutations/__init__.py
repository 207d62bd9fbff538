"""The hand-over mutations, one per file, gathered for the tenant schema."""

import strawberry

from portalwerk.graphql.handover.mutations.retry_delivery import retry_delivery


@strawberry.type
class HandoverMutation:
    retry_delivery = retry_delivery
