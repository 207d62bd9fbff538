"""Error codes of the payments app: what a user (or a client of the API) can get wrong."""

from enum import StrEnum


class PaymentErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    NO_FEE = "no_fee"
    ALREADY_PAID = "already_paid"
    INVALID_TRANSITION = "invalid_transition"
    PROVIDER_UNAVAILABLE = "provider_unavailable"
    NOT_REFUNDABLE = "not_refundable"
    INVALID_AMOUNT = "invalid_amount"
    REASON_REQUIRED = "reason_required"
    INVALID_PERIOD = "invalid_period"
    UNKNOWN_FORMAT = "unknown_format"
    INVALID_ACCOUNT = "invalid_account"
