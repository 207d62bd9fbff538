import strawberry
from django.core.exceptions import ValidationError
from django.middleware.csrf import get_token

from portalwerk.graphql.forms.mutations.payloads import DraftPayload, not_found
from portalwerk.graphql.forms.permissions import AllowAnonymous, request_of
from portalwerk.graphql.forms.types import DraftType, errors_from
from portalwerk.platform.accounts.services import client_ip
from portalwerk.platform.forms import access, services


@strawberry.mutation(
    permission_classes=[AllowAnonymous],
    description="Open to anyone. The draft belongs to the caller's account or, when not signed "
    "in, to this session: keep the session cookie and send the csrftoken cookie's value as "
    "X-CSRFToken on the following requests.",
)
def start_form(info: strawberry.Info, slug: str) -> DraftPayload:
    request = request_of(info)
    try:
        form = access.get_published_form(slug)
    except ValidationError:
        return DraftPayload(errors=not_found())
    try:
        draft = services.start_draft(actor=request.user, form=form, client_ip=client_ip(request))
    except ValidationError as exc:
        return DraftPayload(errors=errors_from(exc))
    access.remember(request.session, access.DRAFTS_KEY, str(draft.pk))
    get_token(request)  # the draft is tied to this session: give the client its CSRF cookie
    return DraftPayload(draft=DraftType.of(draft))
