"""Recycling database connections that have used many tenant schemas.

Each PostgreSQL server process caches what it read of the catalogue for as long as it lives,
so a long-lived connection (CONN_MAX_AGE, a job worker) that serves thousands of tenants grows
by 125-175 KB per tenant. A connection that has used PORTALWERK_DB_MAX_TENANTS_PER_CONNECTION
schemas (public counts as one) is closed when its request or job ends; the next one opens a
fresh server process. 0 switches this off.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connections


def recycle_if_spread(alias: str = "default") -> bool:
    """Close the connection `alias` if it has used the maximum number of schemas, unless a
    transaction is open on it; whether it was closed."""
    limit = settings.PORTALWERK_DB_MAX_TENANTS_PER_CONNECTION
    wrapper = connections[alias]
    if limit <= 0 or wrapper.connection is None or wrapper.in_atomic_block:
        return False
    if len(getattr(wrapper, "schemas_used", ())) < limit:
        return False
    wrapper.close()
    return True


def recycle_after_request(**_kwargs) -> None:
    """request_finished receiver (connected in TenantsConfig.ready)."""
    for wrapper in connections.all(initialized_only=True):
        recycle_if_spread(wrapper.alias)


def recycle_after_job(call_next, context, worker):
    """Task middleware of the job worker: the same after every job, in the job's thread."""
    try:
        return call_next()
    finally:
        recycle_if_spread()
