import strawberry

from portalwerk.graphql.billing.mutations.refund_payment import refund_payment
from portalwerk.graphql.billing.mutations.start_payment import start_payment


@strawberry.type
class PaymentMutation:
    start_payment = start_payment
    refund_payment = refund_payment
