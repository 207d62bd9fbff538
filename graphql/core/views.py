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

import json
import logging
from typing import Any

from cross_web import HTTPException
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import classonlymethod
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.views import GraphQLView as StrawberryGraphQLView
from strawberry.django.views import TemporalHttpResponse
from strawberry.types import ExecutionResult

from portalwerk.graphql.core.extensions import OUTAGE_ERRORS, SERVICE_UNAVAILABLE
from portalwerk.graphql.core.limits import RATE_LIMITED
from portalwerk.platform.security.pages import OUTAGE_MESSAGE, RETRY_AFTER_OUTAGE

log = logging.getLogger("portalwerk.graphql")

BAD_REQUEST = "bad_request"
REQUEST_TOO_LARGE = "request_too_large"
# strawberry's own refusals (English reasons) and ours, as messages in the user's language
NOT_JSON = "Unable to parse request body as JSON"
TOO_DEEP = "portalwerk: too deep"
NOT_AN_OBJECT = "portalwerk: not an object"
NO_OPERATION = "Can't get GraphQL operation type"  # e.g. a document of fragments only
REASONS = {
    NOT_JSON: _("The request body is not valid JSON."),
    TOO_DEEP: _("The request body is nested too deeply."),
    NOT_AN_OBJECT: _(
        'The request body must be a JSON object like {"query": "…", "variables": {…}}.'
    ),
    NO_OPERATION: _("The document holds no operation to run."),
    "Unsupported content type": _("Send the request as application/json."),
    "No GraphQL query found in the request": _("The request holds no GraphQL query."),
    "GraphQL only supports GET and POST requests.": _("Send GraphQL requests with GET or POST."),
}


def _not_called(request: HttpRequest) -> HttpResponseBase:  # pragma: no cover
    raise AssertionError("the CSRF check never calls the view")


_csrf = CsrfViewMiddleware(_not_called)


def csrf_rejection(request: HttpRequest) -> HttpResponseBase | None:
    """Django's CSRF check for requests that carry a session cookie; None when it may proceed."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    return _csrf.process_view(request, None, (), {})


def _reason(reason: str) -> str:
    if reason in REASONS:
        return str(REASONS[reason])
    if reason.startswith("Unknown operation named"):
        return gettext("The document holds no operation of the name given in operationName.")
    return reason


def error_response(message: str, code: str, status: int, **headers: str) -> JsonResponse:
    """A GraphQL-shaped JSON answer for a request refused before (or instead of) execution."""
    response = JsonResponse(
        {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]},
        status=status,
    )
    for name, value in headers.items():
        response[name] = value
    return response


def _outage() -> JsonResponse:
    return error_response(
        gettext(OUTAGE_MESSAGE),
        SERVICE_UNAVAILABLE,
        503,
        **{"Retry-After": str(RETRY_AFTER_OUTAGE)},
    )


class GraphQLView(StrawberryGraphQLView):
    """strawberry's view, answering every refusal as GraphQL JSON: a body that is too large
    (413), not JSON, too deeply nested or not an object, or several operations without an
    operation name (400); a rate limit (429); a database outage (503)."""

    @classonlymethod
    def as_view(cls, **initkwargs: Any):
        return csrf_exempt(super().as_view(**initkwargs))

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            rejection = csrf_rejection(request)
            if rejection is not None:
                return rejection
            too_large = self._too_large(request)
            if too_large is not None:
                return too_large
            return self.run(request=request)
        except HTTPException as exc:
            return error_response(_reason(exc.reason), BAD_REQUEST, exc.status_code)
        except RequestDataTooBig:
            return self._body_too_large()
        except OUTAGE_ERRORS:
            log.exception("database unavailable during a GraphQL request")
            return _outage()

    def _body_too_large(self) -> JsonResponse:
        return error_response(
            gettext("The request is larger than %(limit)s bytes.")
            % {"limit": settings.GRAPHQL_MAX_BODY_BYTES},
            REQUEST_TOO_LARGE,
            413,
        )

    def _too_large(self, request: HttpRequest) -> JsonResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.GRAPHQL_MAX_BODY_BYTES:
            return self._body_too_large()
        return None

    def decode_json(self, data: str | bytes) -> object:
        try:
            decoded = json.loads(data)
        except RecursionError:
            raise HTTPException(400, TOO_DEEP) from None
        except (ValueError, UnicodeDecodeError):
            raise HTTPException(400, NOT_JSON) from None
        if not isinstance(decoded, dict):
            raise HTTPException(400, NOT_AN_OBJECT)
        return decoded

    def get_sub_response(self, request: HttpRequest) -> TemporalHttpResponse:
        sub_response = super().get_sub_response(request)
        request._graphql_sub_response = sub_response
        return sub_response

    def process_result(self, request: HttpRequest, result: ExecutionResult) -> dict:
        data = super().process_result(request, result)
        codes = {(error.extensions or {}).get("code") for error in result.errors or ()}
        sub_response = request._graphql_sub_response
        if SERVICE_UNAVAILABLE in codes:
            sub_response.status_code = 503
            sub_response.headers["Retry-After"] = str(RETRY_AFTER_OUTAGE)
            return {
                "data": None,
                "errors": [
                    {
                        "message": gettext(OUTAGE_MESSAGE),
                        "extensions": {"code": SERVICE_UNAVAILABLE},
                    }
                ],
            }
        if RATE_LIMITED in codes:
            sub_response.status_code = 429
        return data
