import strawberry

from portalwerk.graphql.casework.permissions import IsProcessor
from portalwerk.graphql.casework.types import ClerkSubmissionPayload
from portalwerk.graphql.core import ids
from portalwerk.graphql.core.mutations import mutation
from portalwerk.graphql.forms.permissions import request_of
from portalwerk.platform.casework import services as casework


@mutation(permission=IsProcessor)
def change_submission_status(
    info: strawberry.Info, id: strawberry.ID, status: str, note: str = ""
) -> ClerkSubmissionPayload:
    submission = casework.change_status(
        actor=request_of(info).actor,
        submission_id=ids.decode_int(id, "ClerkSubmission", field="id"),
        status=status,
        note=note,
    )
    return ClerkSubmissionPayload(submission=submission)
