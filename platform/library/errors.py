from portalwerk.platform.error_codes import ErrorCode


class CatalogErrorCode(ErrorCode):
    """Codes of the errors a clerk or operator can cause in the catalogue and template library."""

    INVALID_LEIKA_KEY = "invalid_leika_key"
    INVALID_LINK = "invalid_link"
    FEE_AMOUNT_REQUIRED = "fee_amount_required"
    FEE_AMOUNT_NOT_ALLOWED = "fee_amount_not_allowed"
    INVALID_COLOUR = "invalid_colour"
    CONTRAST_TOO_LOW = "contrast_too_low"
    INVALID_LOGO = "invalid_logo"
    TIMES_IN_WRONG_ORDER = "times_in_wrong_order"
    TIMES_OVERLAP = "times_overlap"
    DAYS_IN_WRONG_ORDER = "days_in_wrong_order"
    TEMPLATE_NOT_FOUND = "template_not_found"
    NOT_ADOPTED = "not_adopted"
    FEEDBACK_EMPTY = "feedback_empty"
    INVALID_EMAIL = "invalid_email"
    RATE_LIMITED = "rate_limited"
    COLOURS_ALIKE = "colours_alike"
    TOO_MANY_SEARCH_TERMS = "too_many_search_terms"
    SEARCH_TERM_TOO_LONG = "search_term_too_long"
