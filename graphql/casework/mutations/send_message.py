import strawberry

from portalwerk.graphql.casework.permissions import IsProcessor
from portalwerk.graphql.casework.types import ClerkSubmissionPayload
from portalwerk.graphql.core import ids
from portalwerk.graphql.core.mutations import mutation
from portalwerk.graphql.forms.permissions import request_of
from portalwerk.platform.casework import services as casework


@mutation(permission=IsProcessor)
def send_message(info: strawberry.Info, id: strawberry.ID, body: str) -> ClerkSubmissionPayload:
    message = casework.send_message(
        actor=request_of(info).actor,
        submission_id=ids.decode_int(id, "ClerkSubmission", field="id"),
        body=body,
    )
    return ClerkSubmissionPayload(submission=message.submission)
