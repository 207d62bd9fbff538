import strawberry
from django.core.exceptions import ValidationError

from portalwerk.graphql.core import ids
from portalwerk.graphql.core.mutations import mutation
from portalwerk.graphql.forms.mutations.payloads import SubmitPayload
from portalwerk.graphql.forms.permissions import AllowAnonymous, request_of
from portalwerk.graphql.forms.types import SubmissionType
from portalwerk.platform.accounts.identity import assurance
from portalwerk.platform.client import client_ip
from portalwerk.platform.forms import access, services


@mutation(
    permission=AllowAnonymous,
    description="The caller's own draft. Sent again after it was submitted (with any key), it "
    "returns the same submission.",
    answer_paths=True,
    atomic=False,  # the rate-limit hit counts even when the service refuses
)
def submit_form(
    info: strawberry.Info, draft_id: strawberry.ID, idempotency_key: str
) -> SubmitPayload:
    request = request_of(info)
    draft_pk = ids.decode(draft_id, "Draft")
    owned = access.owned(request.session, access.DRAFTS_KEY)
    try:
        draft = access.get_draft_for(request.actor, draft_pk, owned)
    except ValidationError:
        # a retry after the draft became a submission answers with that submission
        made = services.earlier_submission(
            actor=request.actor,
            draft_id=draft_pk,
            owned_submissions=access.owned(request.session, access.SUBMISSIONS_KEY),
        )
        return SubmitPayload(submission=SubmissionType.of(made))
    submission = services.submit_draft(
        actor=request.actor,
        draft=draft,
        idempotency_key=idempotency_key,
        client_ip=client_ip(request),
        signed_in_with=assurance.current(request.session),
    )
    access.remember(request.session, access.SUBMISSIONS_KEY, submission.reference)
    return SubmitPayload(submission=SubmissionType.of(submission))
