from portalwerk.platform.error_codes import ErrorCode


class MailErrorCode(ErrorCode):
    TOO_MANY_MAILS = "too_many_mails"
