import strawberry
from django.core.exceptions import ValidationError
from strawberry.scalars import JSON

from portalwerk.graphql.forms.mutations.payloads import DraftPayload, not_found
from portalwerk.graphql.forms.permissions import AllowAnonymous, request_of
from portalwerk.graphql.forms.types import DraftType, errors_from
from portalwerk.platform.forms import access, services


@strawberry.mutation(permission_classes=[AllowAnonymous], description="The caller's own draft.")
def save_step(
    info: strawberry.Info, draft_id: strawberry.ID, step: str, answers: JSON
) -> DraftPayload:
    request = request_of(info)
    try:
        draft = access.get_draft_for(
            request.actor, draft_id, access.owned(request.session, access.DRAFTS_KEY)
        )
    except ValidationError:
        return DraftPayload(errors=not_found())
    if not isinstance(answers, dict):
        return DraftPayload(
            errors=errors_from(ValidationError("Answers are an object.", code="invalid_type"))
        )
    try:
        draft = services.save_step(actor=request.actor, draft=draft, step_key=step, raw=answers)
    except ValidationError as exc:
        return DraftPayload(errors=errors_from(exc))
    return DraftPayload(draft=DraftType.of(draft))
