"""Gives every request an id: the incoming `X-Request-ID` when it is sane, otherwise a new one.
The id is in `request.request_id`, in the response header and in the audit context."""

from __future__ import annotations

from portalwerk.platform.audit import context

HEADER = "X-Request-ID"


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = context.sane(request.headers.get(HEADER)) or context.new_id()
        request.request_id = request_id
        with context.using(request_id):
            response = self.get_response(request)
        response[HEADER] = request_id
        return response
