"""The error type of the payments API."""

from portalwerk.billing.payments.errors import PaymentErrorCode
from portalwerk.graphql.core.errors import error_type

PaymentError = error_type("PaymentError", PaymentErrorCode)
