"""The error type of the forms API: the forms codes, and the rate limit's refusal."""

from portalwerk.graphql.core.errors import error_type
from portalwerk.platform.forms.errors import FormErrorCode

FormError = error_type("FormError", FormErrorCode, codes=["rate_limited"])
