from portalwerk.platform.error_codes import ErrorCode


class TenantErrorCode(ErrorCode):
    INVALID_SLUG = "invalid_slug"
    DUPLICATE_SLUG = "duplicate_slug"
    INVALID_DOMAIN = "invalid_domain"
    DUPLICATE_DOMAIN = "duplicate_domain"
    INVALID_OFFICIAL_KEY = "invalid_official_key"
    DUPLICATE_OFFICIAL_KEY = "duplicate_official_key"
    KEY_OUTSIDE_DISTRICT = "key_outside_district"
    UNKNOWN_PARENT = "unknown_parent"
    INVALID_PARENT = "invalid_parent"
    INVALID_KIND = "invalid_kind"
    INVALID_MODULE = "invalid_module"
    HAS_MEMBERS = "has_members"
    INVALID_STATUS = "invalid_status"
    NAME_REQUIRED = "name_required"
    NOT_FOUND = "not_found"
    INVALID_EMAIL = "invalid_email"
    MODULE_NOT_ALLOWED = "module_not_allowed"
