"""The error type of the hand-over API: hand-over's codes (not found, not failed, ...)."""

from portalwerk.graphql.core.errors import error_type
from portalwerk.platform.handover.errors import HandoverErrorCode

HandoverError = error_type("HandoverError", HandoverErrorCode)
