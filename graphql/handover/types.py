"""Types of the hand-over API: a delivery as the office sees it (no personal data in it)."""

from __future__ import annotations

from datetime import datetime

import strawberry
import strawberry_django

from portalwerk.graphql.core import ids
from portalwerk.graphql.handover.errors import HandoverError
from portalwerk.platform.handover.backends import describe
from portalwerk.platform.handover.models import Delivery, DeliveryStatus

DeliveryState = strawberry.enum(DeliveryStatus, name="DeliveryState")


@strawberry_django.type(Delivery, name="ClerkDelivery")
class ClerkDelivery(ids.Node):
    """One submission's hand-over to one target."""

    attempts: int
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    receiver_reference: str = strawberry_django.field(
        description="The receiving system's own id for it (a case number); empty until known."
    )

    @strawberry_django.field
    def state(self, root: Delivery) -> DeliveryState:
        return DeliveryStatus(root.status)

    @strawberry_django.field(description="The state in plain words, in the caller's language.")
    def state_text(self, root: Delivery) -> str:
        return str(root.get_status_display())

    @strawberry_django.field(select_related=["target"])
    def target_name(self, root: Delivery) -> str:
        return root.target.name

    @strawberry_django.field(
        description="The last problem's code (backends.Problem); null if none."
    )
    def last_problem(self, root: Delivery) -> str | None:
        return root.last_problem or None

    @strawberry_django.field(description="The last problem in plain words; null if none.")
    def last_problem_text(self, root: Delivery) -> str | None:
        return describe(root.last_problem) if root.last_problem else None

    @strawberry_django.field(description="Technical detail of the last problem (an HTTP status).")
    def last_problem_detail(self, root: Delivery) -> str | None:
        return root.last_detail or None


@strawberry.type
class DeliveryPayload:
    delivery: ClerkDelivery | None = None
    errors: list[HandoverError] = strawberry.field(
        default_factory=list, description="Empty when the mutation succeeded."
    )
