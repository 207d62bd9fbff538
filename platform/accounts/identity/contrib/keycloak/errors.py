from portalwerk.platform.error_codes import ErrorCode


class KeycloakErrorCode(ErrorCode):
    STATE_INVALID = "state_invalid"
    CODE_REFUSED = "code_refused"
    TOKEN_INVALID = "token_invalid"
    TOKEN_EXPIRED = "token_expired"
    WRONG_AUDIENCE = "wrong_audience"
    NOT_A_MEMBER = "not_a_member"
    NO_ROLE = "no_role"
    ACCOUNT_DISABLED = "account_disabled"
    EMAIL_TAKEN = "email_taken"
    UNAVAILABLE = "unavailable"
    # state accounts (state_accounts.py)
    LEVEL_UNKNOWN = "level_unknown"
    KIND_UNKNOWN = "kind_unknown"
    NO_STATE_ACCOUNT = "no_state_account"
    STATE_ACCOUNT_HERE = "state_account_here"
