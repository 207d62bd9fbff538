from __future__ import annotations

import strawberry
from strawberry import Info

from portalwerk.billing.payments import services
from portalwerk.graphql.billing.queries import payment_pk
from portalwerk.graphql.billing.types import PaymentType, RefundType
from portalwerk.graphql.core.errors import Payload, run_service
from portalwerk.graphql.core.permissions import IsClerk


@strawberry.input(description="A full or partial refund of a paid payment.")
class RefundPaymentInput:
    payment_id: strawberry.ID
    reason: str = strawberry.field(description="Why the money goes back (kept in the audit log).")
    amount_cents: int | None = strawberry.field(
        default=None, description="Cents to refund; everything still refundable when left out."
    )


@strawberry.type
class RefundPaymentPayload(Payload):
    payment: PaymentType | None = None
    refund: RefundType | None = None


@strawberry.type
class RefundPaymentMutation:
    @strawberry.mutation(
        permission_classes=[IsClerk],
        description="Refund a payment fully or partly, with a reason (audited).",
    )
    def refund_payment(self, info: Info, input: RefundPaymentInput) -> RefundPaymentPayload:
        outcome = run_service(
            lambda: services.refund_payment(
                actor=info.context.request.actor,
                payment_id=payment_pk(input.payment_id),
                amount_cents=input.amount_cents,
                reason=input.reason,
            ),
            input_type=RefundPaymentInput,
            fields={"amount": "amount_cents"},
        )
        refund = outcome.value
        return RefundPaymentPayload(
            payment=refund.payment if refund is not None else None,
            refund=refund,
            errors=outcome.errors,
        )
