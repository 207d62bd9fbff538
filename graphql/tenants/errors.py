"""The error type of the tenants API (platform schema)."""

from portalwerk.graphql.core.errors import error_type
from portalwerk.tenants.errors import TenantErrorCode

TenantError = error_type("TenantError", TenantErrorCode)
