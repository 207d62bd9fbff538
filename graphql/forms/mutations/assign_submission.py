import strawberry
from django.core.exceptions import ValidationError

from portalwerk.graphql.forms.mutations.payloads import ClerkSubmissionPayload, not_found
from portalwerk.graphql.forms.permissions import IsProcessor, request_of
from portalwerk.graphql.forms.types import ClerkSubmissionType, errors_from, parse_global_id
from portalwerk.platform.casework import services as casework


@strawberry.mutation(permission_classes=[IsProcessor], description="clerkId null unassigns.")
def assign_submission(
    info: strawberry.Info, id: strawberry.ID, clerk_id: int | None = None
) -> ClerkSubmissionPayload:
    pk = parse_global_id("Submission", id)
    if pk is None:
        return ClerkSubmissionPayload(errors=not_found())
    try:
        submission = casework.assign_submission(
            actor=request_of(info).actor, submission_id=pk, assignee_id=clerk_id
        )
    except ValidationError as exc:
        return ClerkSubmissionPayload(errors=errors_from(exc))
    return ClerkSubmissionPayload(submission=ClerkSubmissionType.of(submission))
