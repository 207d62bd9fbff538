"""Which tenants were used today: the source of the active-tenants gauge (`exposition`).

A process remembers the tenants it has already noted today, so a tenant costs one
`INSERT … ON CONFLICT DO NOTHING` per process and day, not one per request; the memory is a set
of today's schema names, bounded by the tenant count, and starts afresh each day (when the rows
older than `KEEP_DAYS` go too)."""

from __future__ import annotations

import datetime
import logging
import threading

from django.db import DatabaseError, connection
from django.utils import timezone

logger = logging.getLogger(__name__)

KEEP_DAYS = 35  # the longest period the gauge reports (30 days) and some slack
TABLE = "public.operations_tenantactivity"

_lock = threading.Lock()
_day: datetime.date | None = None
_noted: set[str] = set()


def note(schema_name: str) -> None:
    global _day
    today = timezone.localdate()
    with _lock:
        new_day = today != _day
        if new_day:
            _day = today
            _noted.clear()
        if schema_name in _noted:
            return
        _noted.add(schema_name)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (schema_name, day) VALUES (%s, %s) "
                "ON CONFLICT (schema_name, day) DO NOTHING",
                [schema_name, today],
            )
            if new_day:
                cursor.execute(
                    f"DELETE FROM {TABLE} WHERE day < %s",
                    [today - datetime.timedelta(days=KEEP_DAYS)],
                )
    except DatabaseError as error:  # the response is made; a missed mark is not worth a 500
        with _lock:
            _noted.discard(schema_name)
        logger.warning("Tenant activity not recorded: %s", type(error).__name__)


def forget() -> None:
    """Start as a new process would (the next request of every tenant writes its mark)."""
    global _day
    with _lock:
        _day = None
        _noted.clear()


def active_counts(cursor, today: datetime.date) -> dict[str, int]:
    """Distinct tenants with a request today, in the last 7 and in the last 30 days."""
    cursor.execute(
        f"SELECT count(DISTINCT schema_name) FILTER (WHERE day = %s), "
        f"count(DISTINCT schema_name) FILTER (WHERE day > %s), "
        f"count(DISTINCT schema_name) FROM {TABLE} WHERE day > %s",
        [today, today - datetime.timedelta(days=7), today - datetime.timedelta(days=30)],
    )
    day, week, month = cursor.fetchone()
    return {"day": day, "week": week, "month": month}
