from django.utils.translation import gettext_noop

from portalwerk.platform.error_codes import ErrorCode


class AccountErrorCode(ErrorCode):
    WRONG_SCHEMA = "wrong_schema"
    INVALID_ROLE = "invalid_role"
    REQUIRED = "required"
    INVALID_EMAIL = "invalid_email"
    DUPLICATE_EMAIL = "duplicate_email"
    NAME_TOO_LONG = "name_too_long"
    INVALID_PASSWORD = "invalid_password"
    INVALID_LOGIN = "invalid_login"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    EMAIL_NOT_VERIFIED = "email_not_verified"
    ALREADY_VERIFIED = "already_verified"
    TOKEN_INVALID = "token_invalid"
    TOKEN_EXPIRED = "token_expired"
    NOT_SIGNED_IN = "not_signed_in"
    TOO_MANY_REQUESTS = "too_many_requests"
    STAFF_NOT_FOUND = "staff_not_found"
    LAST_ADMIN = "last_admin"
    INVITATION_ACCEPTED = "invitation_accepted"
    STAFF_INACTIVE = "staff_inactive"
    NO_PENDING_INVITATION = "no_pending_invitation"
    INVALID_POSTCODE = "invalid_postcode"
    TOO_LONG = "too_long"


# Django's password validators speak stiff German ("Dieses Passwort ist zu üblich."). Our
# catalogue, which Django reads before its own, words them for citizens; listing the messages
# here keeps them in it when `make messages` refreshes it.
DJANGO_PASSWORD_MESSAGES = (
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
)
