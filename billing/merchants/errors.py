"""Error codes of the merchant accounts: what an operator or tenant admin can get wrong."""

from portalwerk.platform.error_codes import ErrorCode


class MerchantErrorCode(ErrorCode):
    # the same strings as the payments codes they were before: API clients see no change
    PERMISSION_DENIED = "permission_denied"
    INVALID_ACCOUNT = "invalid_account"
    INVALID_AMOUNT = "invalid_amount"
    PROVIDER_UNAVAILABLE = "provider_unavailable"
