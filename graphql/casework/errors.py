"""The error type of the casework API: the casework codes, and the forms codes an attachment
or a submission lookup can raise."""

from portalwerk.graphql.core.errors import error_type
from portalwerk.platform.casework.services import CaseworkErrorCode
from portalwerk.platform.forms.errors import FormErrorCode

CaseworkError = error_type("CaseworkError", CaseworkErrorCode, FormErrorCode)
