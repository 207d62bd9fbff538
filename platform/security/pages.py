"""The 400, 500 and 503 pages (Django's `handler400` / `handler500` of both URL confs).

They render without the request's context processors: those read the session and the user, that
is the database, which may be what just failed, and a cookie that made the request bad would
fail again. The language is negotiated from the language cookie and Accept-Language, since the
locale middleware may not have run yet when routing (the first query) fails."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

log = logging.getLogger(__name__)

#: seconds a client is asked to wait after a database outage answer
RETRY_AFTER_OUTAGE = 30
OUTAGE_ERRORS = (OperationalError, InterfaceError)
# also the GraphQL view's own outage answer (graphql/core), for an outage during execution
SERVICE_UNAVAILABLE = "service_unavailable"
OUTAGE_MESSAGE = gettext_noop("The service is unavailable for a moment. Please try again later.")
BAD_REQUEST = "bad_request"
BAD_REQUEST_MESSAGE = gettext_noop(
    "The request contains something that cannot be read, for example a character that is not "
    "allowed."
)


def _language(request) -> str:
    return translation.get_language_from_request(request, check_path=False)


def _page(request, template: str, status: int) -> HttpResponse:
    with translation.override(_language(request)):
        body = render_to_string(template, {"language": translation.get_language()})
    return HttpResponse(body, status=status)


def _is_graphql(request) -> bool:
    return request.path_info.rstrip("/").endswith("/graphql")


def _graphql_error(request, message: str, code: str, status: int) -> JsonResponse:
    """What a GraphQL client can read, where the refusal comes before the GraphQL view."""
    with translation.override(_language(request)):
        text = gettext(message)
    return JsonResponse(
        {"data": None, "errors": [{"message": text, "extensions": {"code": code}}]},
        status=status,
    )


def bad_request_page(request, exception=None) -> HttpResponse:
    if _is_graphql(request):
        return _graphql_error(request, BAD_REQUEST_MESSAGE, BAD_REQUEST, 400)
    return _page(request, "portal/errors/400.html", 400)


def _outage(request) -> HttpResponse:
    if _is_graphql(request):
        response = _graphql_error(request, OUTAGE_MESSAGE, SERVICE_UNAVAILABLE, 503)
    else:
        response = _page(request, "portal/errors/503.html", 503)
    response["Retry-After"] = str(RETRY_AFTER_OUTAGE)
    return response


def server_error_page(request) -> HttpResponse:
    """Django calls this inside its `except` block, so the exception is at hand: a database that
    cannot be reached is an outage (503, try again), anything else a server error (500)."""
    error = sys.exc_info()[1]
    if isinstance(error, OUTAGE_ERRORS):
        log.warning("database unavailable: %s", type(error).__name__)
        return _outage(request)
    return _page(request, "portal/errors/500.html", 500)
