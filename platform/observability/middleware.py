"""The request log: django-structlog's `request_started` / `request_finished` / `request_failed`
lines, told what Portalwerk knows about a request and kept free of personal data.

It sits after the tenant routing, so every line of a request (and every Sentry event) knows the
tenant; requests the routing answers itself (an unknown host, a suspended tenant) and the
probes served before it have no request line.
"""

from __future__ import annotations

import time

import sentry_sdk
from django.dispatch import receiver
from django.urls import Resolver404, resolve
from django_structlog import signals
from django_structlog.middlewares import RequestMiddleware

from portalwerk.platform.client import client_ip
from portalwerk.platform.observability import context

UNRESOLVED = "<unresolved>"


def _resolved(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info, urlconf=getattr(request, "urlconf", None))
        except Resolver404:
            return None
    return match


def view_and_route(request) -> tuple[str, str]:
    match = _resolved(request)
    if match is None:
        return UNRESOLVED, UNRESOLVED
    return match.view_name, "/" + (match.route or "")


class RequestLogMiddleware(RequestMiddleware):
    @staticmethod
    def format_request(request) -> str:
        # The route, not the path: paths hold tokens (`forms/resume/<str:token>/`), reference
        # numbers and search terms, and the query string more of them.
        return f"{request.method} {view_and_route(request)[1]}"


def _tenant_slug(request) -> str | None:
    tenant = getattr(request, "tenant", None)
    return getattr(tenant, "slug", None)


@receiver(signals.bind_extra_request_metadata, sender=RequestLogMiddleware)
def _bind_request(request, logger, log_kwargs, **kwargs) -> None:
    request._portalwerk_log_started = time.perf_counter()
    request_id = getattr(request, "request_id", None)
    tenant = _tenant_slug(request)
    # django-structlog made an id of its own; the request's (the proxy's X-Request-ID when
    # sane, also in the audit trail and the response header) is the one to log.
    context.bind(
        request_id=request_id,
        tenant=tenant,
        client_net=context.client_network(client_ip(request)),
    )
    log_kwargs.pop("user_agent", None)
    scope = sentry_sdk.get_isolation_scope()
    if request_id:
        scope.set_tag("request_id", request_id)
    if tenant:
        scope.set_tag("tenant", tenant)


def _outcome(request, log_kwargs) -> None:
    log_kwargs["status"] = log_kwargs.pop("code", None)
    log_kwargs["view"] = view_and_route(request)[0]
    started = getattr(request, "_portalwerk_log_started", None)
    if started is not None:
        log_kwargs["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)


@receiver(signals.bind_extra_request_finished_metadata, sender=RequestLogMiddleware)
def _finished(request, logger, response, log_kwargs, **kwargs) -> None:
    _outcome(request, log_kwargs)


@receiver(signals.bind_extra_request_failed_metadata, sender=RequestLogMiddleware)
def _failed(request, logger, exception, log_kwargs, **kwargs) -> None:
    _outcome(request, log_kwargs)
