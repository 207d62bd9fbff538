"""The Django view behind both `/graphql/` endpoints.

CSRF: Django's middleware would demand a CSRF token on every POST, which would lock out citizens'
apps that call the tenant API without any cookie. A request without a session cookie carries no
one's authority, so forging it gains an attacker nothing; a request *with* a session cookie may be
a cross-site form post riding on the victim's session. So the view is exempt from the middleware
and runs Django's own CSRF check itself whenever the session cookie is present (token in the
`X-CSRFToken` header, matching the `csrftoken` cookie; Origin checked as Django does).
If another ambient credential is ever added (HTTP auth, client certificates), it must be treated
like the session cookie here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import classonlymethod
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.views import GraphQLView as StrawberryGraphQLView


def _not_called(request: HttpRequest) -> HttpResponseBase:  # pragma: no cover
    raise AssertionError("the CSRF check never calls the view")


_csrf = CsrfViewMiddleware(_not_called)


def csrf_rejection(request: HttpRequest) -> HttpResponseBase | None:
    """Django's CSRF check for requests that carry a session cookie; None when it may proceed."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    return _csrf.process_view(request, None, (), {})


class GraphQLView(StrawberryGraphQLView):
    @classonlymethod
    def as_view(cls, **initkwargs: Any):
        return csrf_exempt(super().as_view(**initkwargs))

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        rejection = csrf_rejection(request)
        if rejection is not None:
            return rejection
        return super().dispatch(request, *args, **kwargs)
