"""Rate limits on starting and submitting forms, per client address and tenant.

Counted by the shared rate limiter (`portalwerk.platform.ratelimits`) in the tenant's schema, so
every web process sees the same count. The limits per hour are settings
(PORTALWERK_FORM_STARTS_PER_HOUR, PORTALWERK_FORM_SUBMITS_PER_HOUR); 0 means no limit. The
services call `check` before their own transaction, so a refused or failed request still
counts; channels pass the client address and only translate the refusal."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from portalwerk.platform import ratelimits
from portalwerk.platform.forms.errors import FormErrorCode as Code
from portalwerk.platform.forms.services.checks import _error

WINDOW_SECONDS = 3600


def allow(kind: str, ip: str | None) -> bool:
    """Count one `kind` action ("start", "submit") for `ip`; False once over the hour's limit."""
    limit = settings.PORTALWERK_FORM_RATE_LIMITS.get(kind)
    if not limit or not ip:
        return True
    return (
        ratelimits.hit(f"forms-{kind}-ip", ip, allowed=limit, window_seconds=WINDOW_SECONDS) is None
    )


def check(kind: str, ip: str | None) -> None:
    """Count one `kind` action for `ip`; raise the `rate_limited` error once over the limit."""
    if allow(kind, ip):
        return
    if kind == "start":
        message = _(
            "Too many applications were started from your connection. Try again in an hour."
        )
    else:
        message = _("Too many applications from your connection. Try again in an hour.")
    raise _error(Code.RATE_LIMITED, message)
