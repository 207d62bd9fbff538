import strawberry
from django.core.exceptions import ValidationError

from portalwerk.graphql.forms.mutations.payloads import DraftPayload
from portalwerk.graphql.forms.permissions import AllowAnonymous, request_of
from portalwerk.graphql.forms.types import DraftType, errors_from
from portalwerk.platform.forms import access, services


@strawberry.mutation(
    permission_classes=[AllowAnonymous], description="Whoever holds the emailed token."
)
def resume_draft(info: strawberry.Info, token: str) -> DraftPayload:
    request = request_of(info)
    try:
        draft = services.resume_draft(actor=request.actor, token=token)
    except ValidationError as exc:
        return DraftPayload(errors=errors_from(exc))
    access.remember(request.session, access.DRAFTS_KEY, str(draft.pk))
    return DraftPayload(draft=DraftType.of(draft))
