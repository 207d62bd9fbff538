import strawberry
from django.core.exceptions import ValidationError
from django.middleware.csrf import get_token

from portalwerk.graphql.forms.mutations.payloads import DraftPayload, not_found, rate_limited
from portalwerk.graphql.forms.permissions import AllowAnonymous, request_of
from portalwerk.graphql.forms.types import DraftType, errors_from
from portalwerk.platform.accounts.services import client_ip
from portalwerk.platform.forms import access, services, throttle


@strawberry.mutation(
    permission_classes=[AllowAnonymous],
    description="Open to anyone. The draft belongs to the caller's account or, when not signed "
    "in, to this session: keep the session cookie and send the csrftoken cookie's value as "
    "X-CSRFToken on the following requests.",
)
def start_form(info: strawberry.Info, slug: str) -> DraftPayload:
    request = request_of(info)
    if not throttle.allow("start", client_ip(request)):
        return DraftPayload(errors=rate_limited())
    try:
        form = access.get_published_form(slug)
    except ValidationError:
        return DraftPayload(errors=not_found())
    try:
        draft = services.start_draft(actor=request.actor, form=form)
    except ValidationError as exc:
        return DraftPayload(errors=errors_from(exc))
    access.remember(request.session, access.DRAFTS_KEY, str(draft.pk))
    get_token(request)  # the draft is tied to this session: give the client its CSRF cookie
    return DraftPayload(draft=DraftType.of(draft))
