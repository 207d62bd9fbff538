"""Rate limits shared by every area: hits per (kind, key) in fixed windows, counted in PostgreSQL.

The only cache is per process (LocMem), so a limit kept there would multiply by the number of
processes; a counter row per (kind, key, window), bumped by one `INSERT … ON CONFLICT DO UPDATE …
RETURNING count`, is exact across processes and machines. The table is in every schema (the app
is shared and per tenant), so each tenant, and the platform, counts only its own requests.

Outside a transaction the count commits at once, so a request that fails afterwards still counts;
inside one (ATOMIC_REQUESTS is off, but a caller may open one) it commits or rolls back with it.
Expired windows are pruned by the first hit of each new window (a bounded DELETE that skips rows
another connection is pruning), so the table stays small without a periodic job; `purge` does
the same in full for jobs.

`hit` only counts and says whether the limit is passed; what to answer (a message and HTTP 429,
or the same page as success) is the caller's decision.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

#: expired rows one pruning statement deletes at most, so that no hit pays for a large backlog
PRUNE_BATCH = 500


@dataclass(frozen=True)
class RateLimited:
    """The answer of `hit` past the allowance: how many hits this window has seen, and when the
    window ends."""

    kind: str
    count: int
    allowed: int
    window_seconds: int
    retry_after: int  # seconds until the window ends (at least 1)


def window_start(window_seconds: int, now: dt.datetime) -> dt.datetime:
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % window_seconds, tz=dt.UTC)


def digest(value: str) -> str:
    """The stored form of a key: IP and email addresses are personal data, so only a keyed hash
    of them is kept."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]


def hit(
    kind: str,
    key: str | None,
    *,
    allowed: int,
    window_seconds: int,
    now: dt.datetime | None = None,
    installation_wide: bool = False,
) -> RateLimited | None:
    """Count one hit of `kind` (e.g. "forms-submit-ip") for `key` (an IP, a normalized email
    address); a RateLimited once this window's hits exceed `allowed`, else None.

    A missing key (no client address) is not counted. Hits past the allowance are counted too,
    so a client that keeps trying stays limited until the window ends.

    `installation_wide` counts in the public schema's table instead of the active schema's, for
    limits that protect someone outside every tenant (a stranger's inbox is the same inbox
    whichever tenant's portal an attacker uses)."""
    if not key:
        return None
    now = now or timezone.now()
    start = window_start(window_seconds, now)
    expires = start + dt.timedelta(seconds=window_seconds)
    table = "public.ratelimits_counter" if installation_wide else "ratelimits_counter"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} AS counter (kind, key, window_start, expires_at, count)
            VALUES (%s, %s, %s, %s, 1)
            ON CONFLICT (kind, key, window_start)
            DO UPDATE SET count = counter.count + 1
            RETURNING count
            """,
            [kind, digest(key), start, expires],
        )
        count = cursor.fetchone()[0]
        if count == 1:
            _prune(cursor, now, limit=PRUNE_BATCH, table=table)
    if count <= allowed:
        return None
    return RateLimited(
        kind=kind,
        count=count,
        allowed=allowed,
        window_seconds=window_seconds,
        retry_after=max(1, int((expires - now).total_seconds())),
    )


def _prune(cursor, now: dt.datetime, *, limit: int, table: str = "ratelimits_counter") -> int:
    cursor.execute(
        f"""
        DELETE FROM {table} WHERE id IN (
            SELECT id FROM {table} WHERE expires_at <= %s
            LIMIT %s FOR UPDATE SKIP LOCKED
        )
        """,
        [now, limit],
    )
    return cursor.rowcount


def purge(now: dt.datetime | None = None) -> int:
    """Delete every expired window of the current schema; the number of rows deleted."""
    from portalwerk.platform.ratelimits.models import Counter

    deleted, _rows = Counter.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
