"""The error type of the staff API (tenant schema)."""

from portalwerk.graphql.core.errors import error_type
from portalwerk.platform.accounts.errors import AccountErrorCode

StaffError = error_type("StaffError", AccountErrorCode)
