"""The job behind the console's "migrate": one run at a time (a second one waits in the queue
behind it, its schemas re-checked as it goes)."""

from __future__ import annotations

from procrastinate.contrib.django import app

from portalwerk.tenants import upgrades


@app.task(name="portalwerk.tenants.tasks.migrate_tenants", queue="maintenance", lock="migrate")
def migrate_tenants(run_id: int) -> int | None:
    run = upgrades.run_migration(run_id)
    return run.done if run else None
