"""Middleware that refuses what no view can use, before a view tries."""

from __future__ import annotations

from portalwerk.platform.security.pages import bad_request_page

NUL = "\x00"


def holds_nul(request) -> bool:
    """A NUL character in the path, a query parameter or a cookie. PostgreSQL's text cannot hold
    one, so any lookup with it would end in a DataError (a 500) deep inside a view."""
    if NUL in request.path_info:
        return True
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in value for value in values):
            return True
    return any(NUL in key or NUL in value for key, value in request.COOKIES.items())


class RefuseNulMiddleware:
    """Answers a request with a NUL byte in its address or cookies with the 400 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if holds_nul(request):
            return bad_request_page(request)
        return self.get_response(request)
