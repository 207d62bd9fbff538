import strawberry

from portalwerk.graphql.core import ids
from portalwerk.graphql.core.mutations import mutation
from portalwerk.graphql.forms.permissions import request_of
from portalwerk.graphql.handover.permissions import CanRetryDeliveries
from portalwerk.graphql.handover.types import DeliveryPayload
from portalwerk.platform.handover import services as handover


@mutation(
    permission=CanRetryDeliveries,
    description="A failed delivery goes out once more (same idempotency key); audited.",
)
def retry_delivery(info: strawberry.Info, id: strawberry.ID) -> DeliveryPayload:
    delivery = handover.retry_delivery(
        actor=request_of(info).actor, delivery_id=ids.decode_int(id, "ClerkDelivery", field="id")
    )
    return DeliveryPayload(delivery=delivery)
