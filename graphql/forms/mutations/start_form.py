import strawberry
from django.middleware.csrf import get_token

from portalwerk.graphql.core.mutations import mutation
from portalwerk.graphql.forms.mutations.payloads import DraftPayload
from portalwerk.graphql.forms.permissions import AllowAnonymous, request_of
from portalwerk.graphql.forms.types import DraftType
from portalwerk.platform.accounts.identity import assurance
from portalwerk.platform.client import client_ip
from portalwerk.platform.forms import access, services


@mutation(
    permission=AllowAnonymous,
    description="Open to anyone. The draft belongs to the caller's account or, when not signed "
    "in, to this session: keep the session cookie and send the CSRF cookie's value "
    "(`__Host-csrftoken` over https, `csrftoken` otherwise) as X-CSRFToken on the following "
    "requests.",
    atomic=False,  # the rate-limit hit counts even when the form is not found
)
def start_form(info: strawberry.Info, slug: str) -> DraftPayload:
    request = request_of(info)
    form = access.get_published_form(slug)
    draft = services.start_draft(
        actor=request.actor,
        form=form,
        client_ip=client_ip(request),
        signed_in_with=assurance.current(request.session),
    )
    access.remember(request.session, access.DRAFTS_KEY, str(draft.pk))
    get_token(request)  # the draft is tied to this session: give the client its CSRF cookie
    return DraftPayload(draft=DraftType.of(draft))
