from strawberry.tools import merge_types

from portalwerk.graphql.billing.mutations.refund_payment import RefundPaymentMutation
from portalwerk.graphql.billing.mutations.start_payment import StartPaymentMutation

PaymentMutation = merge_types("PaymentMutation", (StartPaymentMutation, RefundPaymentMutation))
