import strawberry
from django.core.exceptions import ValidationError

from portalwerk.graphql.forms.mutations.payloads import SubmitPayload
from portalwerk.graphql.forms.permissions import AllowAnonymous, request_of
from portalwerk.graphql.forms.types import SubmissionType, errors_from
from portalwerk.platform.accounts.services import client_ip
from portalwerk.platform.forms import access, services


@strawberry.mutation(
    permission_classes=[AllowAnonymous],
    description="The caller's own draft. Sent again after it was submitted (with any key), it "
    "returns the same submission.",
)
def submit_form(
    info: strawberry.Info, draft_id: strawberry.ID, idempotency_key: str
) -> SubmitPayload:
    request = request_of(info)
    owned = access.owned(request.session, access.DRAFTS_KEY)
    try:
        draft = access.get_draft_for(request.user, draft_id, owned)
    except ValidationError:
        # a retry after the draft became a submission answers with that submission
        try:
            made = services.earlier_submission(
                actor=request.user,
                draft_id=draft_id,
                owned_submissions=access.owned(request.session, access.SUBMISSIONS_KEY),
            )
        except ValidationError as exc:
            return SubmitPayload(errors=errors_from(exc))
        return SubmitPayload(submission=SubmissionType.of(made))
    try:
        submission = services.submit_draft(
            actor=request.user,
            draft=draft,
            idempotency_key=idempotency_key,
            client_ip=client_ip(request),
        )
    except ValidationError as exc:
        return SubmitPayload(errors=errors_from(exc))
    access.remember(request.session, access.SUBMISSIONS_KEY, submission.reference)
    return SubmitPayload(submission=SubmissionType.of(submission))
