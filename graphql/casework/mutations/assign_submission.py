import strawberry

from portalwerk.graphql.casework.permissions import IsProcessor
from portalwerk.graphql.casework.types import ClerkSubmissionPayload
from portalwerk.graphql.core import ids
from portalwerk.graphql.core.mutations import mutation
from portalwerk.graphql.forms.permissions import request_of
from portalwerk.platform.casework import services as casework


@mutation(permission=IsProcessor, description="clerkId null unassigns.")
def assign_submission(
    info: strawberry.Info, id: strawberry.ID, clerk_id: strawberry.ID | None = None
) -> ClerkSubmissionPayload:
    submission = casework.assign_submission(
        actor=request_of(info).actor,
        submission_id=ids.decode_int(id, "ClerkSubmission", field="id"),
        assignee_id=None
        if clerk_id is None
        else ids.decode_int(clerk_id, "Clerk", field="clerk_id"),
    )
    return ClerkSubmissionPayload(submission=submission)
