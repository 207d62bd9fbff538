"""Error codes of the data sources app: what a tenant admin can get wrong configuring one."""

from portalwerk.platform.error_codes import ErrorCode


class DataSourceErrorCode(ErrorCode):
    NOT_ALLOWED = "not_allowed"
    UNKNOWN_PLUGIN = "unknown_plugin"
    INVALID_KEY = "invalid_key"
    KEY_TAKEN = "key_taken"
    INVALID_NAME = "invalid_name"
    INVALID_TIMEOUT = "invalid_timeout"
    INVALID_CACHE = "invalid_cache"
    INVALID_FALLBACK = "invalid_fallback"
    INVALID_CONFIG = "invalid_config"
