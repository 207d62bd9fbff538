import strawberry
from django.core.exceptions import ValidationError

from portalwerk.graphql.forms.mutations.payloads import SubmitPayload, not_found, rate_limited
from portalwerk.graphql.forms.permissions import AllowAnonymous, request_of
from portalwerk.graphql.forms.types import SubmissionType, errors_from
from portalwerk.platform.accounts.services import client_ip
from portalwerk.platform.forms import access, services, throttle
from portalwerk.platform.forms.models import Submission


@strawberry.mutation(
    permission_classes=[AllowAnonymous],
    description="The caller's own draft. The same idempotency key returns the same submission.",
)
def submit_form(
    info: strawberry.Info, draft_id: strawberry.ID, idempotency_key: str
) -> SubmitPayload:
    request = request_of(info)
    owned = access.owned(request.session, access.DRAFTS_KEY)
    try:
        draft = access.get_draft_for(request.actor, draft_id, owned)
    except ValidationError:
        # a retry after the draft became a submission answers with that submission
        made = Submission.objects.filter(idempotency_key=idempotency_key or None).first()
        if made is not None and str(made.draft_id) == str(draft_id):
            try:
                mine = access.get_submission_for(
                    request.actor,
                    made.reference,
                    access.owned(request.session, access.SUBMISSIONS_KEY),
                )
            except ValidationError:
                return SubmitPayload(errors=not_found())
            return SubmitPayload(submission=SubmissionType.of(mine))
        return SubmitPayload(errors=not_found())
    if not throttle.allow("submit", client_ip(request)):
        return SubmitPayload(errors=rate_limited())
    try:
        submission = services.submit_draft(
            actor=request.actor, draft=draft, idempotency_key=idempotency_key
        )
    except ValidationError as exc:
        return SubmitPayload(errors=errors_from(exc))
    access.remember(request.session, access.SUBMISSIONS_KEY, submission.reference)
    return SubmitPayload(submission=SubmissionType.of(submission))
