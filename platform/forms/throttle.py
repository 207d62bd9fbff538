"""Rate limits on starting and submitting forms, per client address and tenant.

Counted in Django's cache (keys carry the tenant's schema). With the default local-memory cache
the count is per process; a deployment with several processes configures a shared cache."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600


def allow(kind: str, ip: str | None) -> bool:
    """Count one `kind` action ("start", "submit") for `ip`; False once over the hour's limit."""
    limit = settings.PORTALWERK_FORM_RATE_LIMITS.get(kind)
    if not limit or not ip:
        return True
    key = f"forms-rate:{kind}:{ip}"
    if cache.add(key, 1, WINDOW_SECONDS):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
        return True
    return count <= limit
