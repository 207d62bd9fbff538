import strawberry
from django.core.exceptions import ValidationError
from strawberry.scalars import JSON

from portalwerk.graphql.core import ids
from portalwerk.graphql.core.mutations import mutation
from portalwerk.graphql.forms.mutations.payloads import DraftPayload
from portalwerk.graphql.forms.permissions import AllowAnonymous, request_of
from portalwerk.graphql.forms.types import DraftType
from portalwerk.platform.accounts.identity import assurance
from portalwerk.platform.forms import access, services


@mutation(permission=AllowAnonymous, description="The caller's own draft.", answer_paths=True)
def save_step(
    info: strawberry.Info, draft_id: strawberry.ID, step: str, answers: JSON
) -> DraftPayload:
    request = request_of(info)
    draft = access.get_draft_for(
        request.actor,
        ids.decode(draft_id, "Draft"),
        access.owned(request.session, access.DRAFTS_KEY),
    )
    if not isinstance(answers, dict):
        raise ValidationError(
            {"answers": ValidationError("Answers are an object.", code="invalid_type")}
        )
    draft = services.save_step(
        actor=request.actor,
        draft=draft,
        step_key=step,
        raw=answers,
        signed_in_with=assurance.current(request.session),
    )
    return DraftPayload(draft=DraftType.of(draft))
