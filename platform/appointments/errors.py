"""Error codes of the appointments services (ValidationError.code): one per thing a user causes."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.error_codes import ErrorCode, code_error


class AppointmentErrorCode(ErrorCode):
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    NO_SERVICES = "no_services"
    SERVICE_NOT_OFFERED = "service_not_offered"
    TOO_MANY_OF_SERVICE = "too_many_of_service"
    OUTSIDE_WINDOW = "outside_window"
    NOT_ON_GRID = "not_on_grid"
    NOT_OPEN = "not_open"
    SLOT_TAKEN = "slot_taken"
    EMAIL_CAP_REACHED = "email_cap_reached"
    NAME_REQUIRED = "name_required"
    EMAIL_REQUIRED = "email_required"
    INVALID_EMAIL = "invalid_email"
    HOLD_EXPIRED = "hold_expired"
    NOT_HELD = "not_held"
    NOT_ACTIVE = "not_active"
    NOT_CONFIRMED = "not_confirmed"
    NOT_STARTED = "not_started"
    ALREADY_PAST = "already_past"
    RATE_LIMITED = "rate_limited"
    TOO_MANY_HOLDS = "too_many_holds"
    BUSY = "busy"


Code = AppointmentErrorCode


class NotFound(ValidationError):
    """The one answer for an appointment (or office) the actor may not see or that does not
    exist: the two are indistinguishable."""

    def __init__(self):
        super().__init__(_("There is no such appointment."), code=Code.NOT_FOUND)


def error(message, code: str, field: str | None = None) -> ValidationError:
    return code_error(code, message, field or None)
