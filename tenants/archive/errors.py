from portalwerk.platform.error_codes import ErrorCode


class ArchiveErrorCode(ErrorCode):
    NOT_AN_ARCHIVE = "not_an_archive"
    DAMAGED = "damaged"
    NEWER_FORMAT = "newer_format"
    MIGRATIONS_DIFFER = "migrations_differ"
    UNSAFE_NAME = "unsafe_name"
    MEDIA_EXISTS = "media_exists"
    CANNOT_WRITE = "cannot_write"
