"""Two middlewares that come before everything else (settings.MIDDLEWARE):

- `ProbeMiddleware` answers /healthz, /readyz and /metrics itself, before tenant routing: a
  Kubernetes probe by pod IP, or any Host header, gets them (and does not count as traffic).
- `RequestMetricsMiddleware` times every other request and counts its database statements, by
  URL name and status class, and notes the tenant as active today (`activity`)."""

from __future__ import annotations

import time

from asgiref.sync import async_to_sync
from django.db import connection
from django.http import HttpResponseNotAllowed

from portalwerk.platform.operations import activity, metrics, views

PROBES = {
    "/healthz": views.healthz,
    "/readyz": async_to_sync(views.readyz),
    "/metrics": views.metrics,
}


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = PROBES.get(request.path_info.rstrip("/"))
        if view is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        # a thread's previous request may have left its connection in a tenant's schema
        connection.set_schema_to_public()
        return view(request)


def view_label(request) -> str:
    """The URL's name (`forms:start`), never the path: bounded by the URL confs."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match._func_path
    # no URL matched: an unknown host or an unavailable tenant (answered by the routing
    # middleware), or a path no URL conf has
    return "unrouted" if getattr(request, "tenant", None) is None else "unmatched"


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        statements = 0

        def count(execute, sql, params, many, context):
            nonlocal statements
            statements += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        elapsed = time.perf_counter() - started
        view = view_label(request)
        status = f"{response.status_code // 100}xx"
        metrics.REQUEST_SECONDS.labels(view=view, status=status).observe(elapsed)
        metrics.REQUEST_QUERIES.labels(view=view).observe(statements)
        tenant = getattr(request, "tenant", None)
        if tenant is not None and not tenant.is_platform:
            activity.note(tenant.schema_name)
        return response
