"""`/healthz`, `/readyz` and `/metrics`. They are dispatched by `ProbeMiddleware` before tenant
routing, so that a probe by pod IP (any Host header) gets them on every host."""

from __future__ import annotations

import asyncio
import hmac

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from health_check.views import HealthCheckView

from portalwerk.platform.operations import checks


def healthz(request) -> HttpResponse:
    """The process answers; nothing else is asked (a liveness probe must not fail when the
    database does: restarting web processes would not bring it back)."""
    response = JsonResponse({"status": "ok"})
    add_never_cache_headers(response)
    return response


class ReadinessView(HealthCheckView):
    """Every check of `checks.READINESS`, or those named in `?check=` (repeatable): 200 when all
    pass, 503 when one fails, always the same JSON body."""

    checks = checks.READINESS

    def get_checks(self):
        wanted = set(self.request.GET.getlist("check"))
        for check in super().get_checks():
            if not wanted or check.name in wanted:
                yield check

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        ready = bool(results) and not any(result.error for result in results)
        body = {
            "status": "ready" if ready else "not ready",
            "checks": {
                result.check.name: {"status": "ok", "seconds": round(result.time_taken, 4)}
                if result.error is None
                else {
                    "status": "failing",
                    "reason": result.error.message,
                    "seconds": round(result.time_taken, 4),
                }
                for result in results
            },
        }
        if not results:
            body["reason"] = "no check has that name"
        return JsonResponse(body, status=200 if ready else 503)


readyz = ReadinessView.as_view()


def _authorized(request) -> bool:
    token = settings.PORTALWERK_METRICS_TOKEN
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token)


def metrics(request) -> HttpResponse:
    """Prometheus' text format, for a scraper that sends `Authorization: Bearer
    <PORTALWERK_METRICS_TOKEN>`; a 404 where no token is configured."""
    from portalwerk.platform.operations import exposition

    if not settings.PORTALWERK_METRICS_TOKEN:
        return HttpResponse("metrics are off\n", status=404, content_type="text/plain")
    if not _authorized(request):
        response = HttpResponse("a bearer token is needed\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body, content_type = exposition.render()
    response = HttpResponse(body, content_type=content_type)
    add_never_cache_headers(response)
    return response
