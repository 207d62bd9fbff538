"""Retrying a booking transaction after a deadlock or serialization failure, and answering
`busy` when they persist (never a 500)."""

from __future__ import annotations

import functools
import random
import time

from django.db import OperationalError, connection
from django.utils.translation import gettext as _
from psycopg import errors as pg_errors

from portalwerk.platform.appointments.errors import Code, error

MAX_ATTEMPTS = 6


def _retry_on_conflict(func):
    """Run `func` (which opens its own transaction) again after a deadlock or serialization
    failure. Inside a caller's transaction it runs once: the caller owns the retry then."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if connection.in_atomic_block:
            return func(*args, **kwargs)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return func(*args, **kwargs)
            except OperationalError as exc:
                cause = exc.__cause__
                if not isinstance(
                    cause, pg_errors.DeadlockDetected | pg_errors.SerializationFailure
                ):
                    raise
                if attempt == MAX_ATTEMPTS:
                    raise error(
                        _("Many people are booking right now. Please try again."), Code.BUSY
                    ) from exc
                time.sleep(random.uniform(0.002, 0.02) * attempt)
        raise AssertionError("unreachable")

    return wrapper
