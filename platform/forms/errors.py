"""Error codes of the forms app: what a user (or a client of the API) can get wrong."""

from portalwerk.platform.error_codes import ErrorCode


class FormErrorCode(ErrorCode):
    # answers
    REQUIRED = "required"
    INVALID_TYPE = "invalid_type"
    UNKNOWN_FIELD = "unknown_field"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    PATTERN = "pattern"
    TOO_SMALL = "too_small"
    TOO_LARGE = "too_large"
    NOT_INTEGER = "not_integer"
    INVALID_EMAIL = "invalid_email"
    INVALID_PHONE = "invalid_phone"
    INVALID_DATE = "invalid_date"
    DATE_TOO_EARLY = "date_too_early"
    DATE_TOO_LATE = "date_too_late"
    INVALID_CHOICE = "invalid_choice"
    INVALID_IBAN = "invalid_iban"
    INVALID_POSTCODE = "invalid_postcode"
    FILE_MISSING = "file_missing"
    FILE_TYPE = "file_type"
    FILE_TOO_LARGE = "file_too_large"
    FILE_NAME = "file_name"
    FILE_INFECTED = "file_infected"
    SCAN_UNAVAILABLE = "scan_unavailable"
    TOO_FEW_ITEMS = "too_few_items"
    TOO_MANY_ITEMS = "too_many_items"
    INPUT_TOO_LARGE = "input_too_large"  # answers beyond the engine's bounds (engine/bounds.py)
    INVALID_CHARACTER = "invalid_character"  # a NUL character, which no answer can hold
    # flow
    NOT_FOUND = "not_found"
    DISTRICT_RESPONSIBLE = "district_responsible"
    FORM_NOT_AVAILABLE = "form_not_available"
    VERSION_NOT_AVAILABLE = "version_not_available"
    STEP_NOT_AVAILABLE = "step_not_available"
    STEP_OUT_OF_ORDER = "step_out_of_order"
    INCOMPLETE = "incomplete"
    DRAFT_EXPIRED = "draft_expired"
    RESUME_LINK_INVALID = "resume_link_invalid"
    ACCESS_LINK_INVALID = "access_link_invalid"
    ACCESS_LINK_EXPIRED = "access_link_expired"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    SIGN_IN_TOO_WEAK = "sign_in_too_weak"  # the form needs a higher level of assurance
    ACCOUNT_KIND_REQUIRED = "account_kind_required"  # it needs a business (or personal) account
    RATE_LIMITED = "rate_limited"
    MODULE_OFF = "module_off"  # the same code as portalwerk.tenants.modules.MODULE_OFF
    # clerks
    INVALID_DEFINITION = "invalid_definition"
    NOT_A_DRAFT_VERSION = "not_a_draft_version"
    PERMISSION_DENIED = "permission_denied"
    # the form builder
    FIELD_IN_USE = "field_in_use"  # a condition or the fee reads the field to be removed
    LAST_ONE = "last_one"  # a form keeps one step, a step and a group one field
    INVALID_JSON = "invalid_json"
