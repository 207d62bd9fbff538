"""Error codes of the payments app: what a user (or a client of the API) can get wrong; and the
ValidationError that carries one, which the payments modules raise."""

from django.core.exceptions import ValidationError

from portalwerk.platform.error_codes import ErrorCode, code_error


class PaymentErrorCode(ErrorCode):
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    NO_FEE = "no_fee"
    ALREADY_PAID = "already_paid"
    INVALID_TRANSITION = "invalid_transition"
    PROVIDER_UNAVAILABLE = "provider_unavailable"
    PAYMENT_PROCESSING = "payment_processing"
    NOT_REFUNDABLE = "not_refundable"
    INVALID_AMOUNT = "invalid_amount"
    REASON_REQUIRED = "reason_required"
    INVALID_PERIOD = "invalid_period"
    UNKNOWN_FORMAT = "unknown_format"
    INVALID_ACCOUNT = "invalid_account"


def _error(code: str, message: str, field: str = "__all__") -> ValidationError:
    return code_error(code, message, field)
