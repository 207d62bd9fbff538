"""The error codes of hand-over's services (deliveries and targets)."""

from portalwerk.platform.error_codes import ErrorCode


class HandoverErrorCode(ErrorCode):
    NOT_FOUND = "not_found"
    #: retry acts only on a failed delivery (one pending or sending is on its way already)
    NOT_FAILED = "not_failed"
    #: re-send acts only on a delivered one
    NOT_DELIVERED = "not_delivered"
    #: no backend of that name is enabled on this installation
    BACKEND_UNAVAILABLE = "backend_unavailable"
    #: a target needs a name
    NAME_REQUIRED = "name_required"
    #: a form chosen for a target that does not exist (any more)
    UNKNOWN_FORM = "unknown_form"
