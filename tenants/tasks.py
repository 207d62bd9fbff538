"""Tenancy's jobs, in the public schema: a lifecycle run's steps (deferred by the lifecycle
services), the periodic purge of offboarded tenants whose grace period is over, and the
console's "migrate" (one run at a time: a second one waits in the queue behind it, its schemas
re-checked as it goes).

procrastinate's app directly, not `platform.jobs`: tenancy sits below the job helpers (an import
contract), and these jobs run in no tenant's schema."""

from __future__ import annotations

from django.conf import settings
from django.db import InterfaceError, OperationalError
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from portalwerk.tenants import upgrades

# A run stopped by a lost connection is picked up again where it stopped.
RETRY = RetryStrategy(
    max_attempts=10, exponential_wait=2, retry_exceptions={OperationalError, InterfaceError}
)


@app.task(name="portalwerk.tenants.tasks.run_lifecycle", queue="lifecycle", retry=RETRY)
def run_lifecycle(run_id: int) -> str:
    from portalwerk.tenants import lifecycle
    from portalwerk.tenants.models import LifecycleRun

    run = LifecycleRun.objects.filter(pk=run_id).first()
    if run is None:
        return "gone"
    return lifecycle.execute(run).state


@app.periodic(cron=settings.PORTALWERK_OFFBOARDING_PURGE_CRON, periodic_id="purge-offboarded")
@app.task(
    name="portalwerk.tenants.tasks.purge_offboarded",
    queue="maintenance",
    queueing_lock="purge-offboarded",
)
def purge_offboarded(timestamp: int) -> list[str]:
    from portalwerk.tenants import lifecycle

    return lifecycle.purge_due()


@app.task(name="portalwerk.tenants.tasks.migrate_tenants", queue="maintenance", lock="migrate")
def migrate_tenants(run_id: int) -> int | None:
    run = upgrades.run_migration(run_id)
    return run.done if run else None
