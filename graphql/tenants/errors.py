"""The error type of the tenants API (platform schema); onboarding's first tenant admin and the
invitation sent again bring the account codes (`invalid_email`, `no_pending_invitation`)."""

from portalwerk.graphql.core.errors import error_type
from portalwerk.platform.accounts.errors import AccountErrorCode
from portalwerk.tenants.errors import TenantErrorCode

TenantError = error_type("TenantError", TenantErrorCode, AccountErrorCode)
