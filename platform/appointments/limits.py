"""Abuse limits: requests per IP and per email address, counted in PostgreSQL.

The only cache is per process (LocMem), so a limit kept there would multiply by the number of
processes; a counter row per (key, minute window) updated with one INSERT … ON CONFLICT is exact
across processes and machines. Counts are written in their own autocommit statement, so a failed
booking still counts. Limits answer with a ValidationError (code `rate_limited`) that pages and
the API show as a message with HTTP 429.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import ngettext

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


class RateLimited(Exception):
    pass


def _window(seconds: int, now: dt.datetime) -> dt.datetime:
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, tz=dt.UTC)


def _key(kind: str, value: str) -> str:
    # Addresses are personal data: only a hash is stored.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]
    return f"{kind}:{digest}"


def hit(kind: str, value: str, *, allowed: int, seconds: int, now=None) -> int:
    """Count one request for (kind, value); raise the rate-limit error past `allowed`."""
    if not value:
        return 0
    now = now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO appointments_ratecounter (key, window_start, count) VALUES (%s, %s, 1)
            ON CONFLICT (key, window_start)
            DO UPDATE SET count = appointments_ratecounter.count + 1
            RETURNING count
            """,
            [_key(kind, value), _window(seconds, now)],
        )
        count = cursor.fetchone()[0]
    if count > allowed:
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
    return count


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
    from portalwerk.platform.appointments.models import RateCounter

    now = now or timezone.now()
    deleted, _rows = RateCounter.objects.filter(
        window_start__lt=now - dt.timedelta(hours=2)
    ).delete()
    return deleted
