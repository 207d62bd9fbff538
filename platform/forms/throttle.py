"""Rate limits on starting and submitting forms, per client address and tenant.

Counted by the shared rate limiter (`portalwerk.platform.ratelimits`) in the tenant's schema, so
every web process sees the same count. The limits per hour are settings
(PORTALWERK_FORM_STARTS_PER_HOUR, PORTALWERK_FORM_SUBMITS_PER_HOUR); 0 means no limit."""

from __future__ import annotations

from django.conf import settings

from portalwerk.platform import ratelimits

WINDOW_SECONDS = 3600


def allow(kind: str, ip: str | None) -> bool:
    """Count one `kind` action ("start", "submit") for `ip`; False once over the hour's limit."""
    limit = settings.PORTALWERK_FORM_RATE_LIMITS.get(kind)
    if not limit or not ip:
        return True
    return (
        ratelimits.hit(f"forms-{kind}-ip", ip, allowed=limit, window_seconds=WINDOW_SECONDS) is None
    )
