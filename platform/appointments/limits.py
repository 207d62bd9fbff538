"""Abuse limits: requests per IP and per email address, counted in PostgreSQL by the shared
rate limiter (`portalwerk.platform.ratelimits`: one INSERT … ON CONFLICT per request, exact across
processes and machines). Counts are written in their own autocommit statement, so a failed
booking still counts. Limits answer with a ValidationError (code `rate_limited`) that pages and
the API show as a message with HTTP 429.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import ngettext

from portalwerk.platform import ratelimits
from portalwerk.platform.appointments.errors import Code, error

DEFAULTS = {
    # ZMS: 60 requests per minute per IP on the citizen API.
    "search_per_ip_per_minute": 60,
    "search_per_email_per_minute": 60,
    "hold_per_ip_per_hour": 20,
    "hold_per_email_per_hour": 6,
    "holds_per_session": 2,
}


def limit(name: str) -> int:
    return int(getattr(settings, "PORTALWERK_APPOINTMENT_LIMITS", {}).get(name, DEFAULTS[name]))


def hit(kind: str, value: str | None, *, allowed: int, seconds: int, now=None) -> None:
    """Count one request for (kind, value); raise the rate-limit error past `allowed`."""
    limited = ratelimits.hit(
        f"appointments-{kind}", value, allowed=allowed, window_seconds=seconds, now=now
    )
    if limited is not None:
        minutes = max(1, seconds // 60)
        raise error(
            ngettext(
                "Too many requests. Please wait a minute and try again. If you need help, call "
                "the office.",
                "Too many requests. Please wait %(minutes)s minutes and try again. If you need "
                "help, call the office.",
                minutes,
            )
            % {"minutes": minutes},
            Code.RATE_LIMITED,
        )


def check_search(*, ip: str, email: str = "", now=None) -> None:
    hit("search-ip", ip, allowed=limit("search_per_ip_per_minute"), seconds=60, now=now)
    if email:
        hit(
            "search-email",
            email.lower(),
            allowed=limit("search_per_email_per_minute"),
            seconds=60,
            now=now,
        )


def check_booking(*, ip: str, email: str = "", now=None) -> None:
    hit("hold-ip", ip, allowed=limit("hold_per_ip_per_hour"), seconds=3600, now=now)
    if email:
        hit(
            "hold-email",
            email.strip().lower(),
            allowed=limit("hold_per_email_per_hour"),
            seconds=3600,
            now=now,
        )


def purge_old_counters(now=None) -> int:
    """Expired windows of every kind (the shared counter table prunes itself as well)."""
    return ratelimits.purge(now)
