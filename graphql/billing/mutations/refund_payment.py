from __future__ import annotations

import strawberry
from strawberry import Info

from portalwerk.billing.payments import services
from portalwerk.graphql.billing.errors import PaymentError
from portalwerk.graphql.billing.types import PaymentType, RefundType
from portalwerk.graphql.core import ids
from portalwerk.graphql.core.mutations import mutation
from portalwerk.graphql.core.permissions import IsClerk


@strawberry.input(description="A full or partial refund of a paid payment.")
class RefundPaymentInput:
    payment_id: strawberry.ID
    reason: str = strawberry.field(description="Why the money goes back (kept in the audit log).")
    amount_cents: int | None = strawberry.field(
        default=None, description="Cents to refund; everything still refundable when left out."
    )


@strawberry.type
class RefundPaymentPayload:
    errors: list[PaymentError] = strawberry.field(
        default_factory=list, description="Empty when the mutation succeeded."
    )
    payment: PaymentType | None = None
    refund: RefundType | None = None


@mutation(
    permission=IsClerk,
    description="Refund a payment fully or partly, with a reason (audited).",
    fields={"amount": "amount_cents"},
)
def refund_payment(info: Info, input: RefundPaymentInput) -> RefundPaymentPayload:
    refund = services.refund_payment(
        actor=info.context.request.actor,
        payment_id=ids.decode(input.payment_id, "Payment", field="payment_id"),
        amount_cents=input.amount_cents,
        reason=input.reason,
    )
    return RefundPaymentPayload(payment=refund.payment, refund=refund)
