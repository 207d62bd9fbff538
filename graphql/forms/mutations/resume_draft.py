import strawberry

from portalwerk.graphql.core.mutations import mutation
from portalwerk.graphql.forms.mutations.payloads import DraftPayload
from portalwerk.graphql.forms.permissions import AllowAnonymous, request_of
from portalwerk.graphql.forms.types import DraftType
from portalwerk.platform.forms import access, services


@mutation(permission=AllowAnonymous, description="Whoever holds the emailed token.")
def resume_draft(info: strawberry.Info, token: str) -> DraftPayload:
    request = request_of(info)
    draft = services.resume_draft(actor=request.actor, token=token)
    access.remember(request.session, access.DRAFTS_KEY, str(draft.pk))
    return DraftPayload(draft=DraftType.of(draft))
