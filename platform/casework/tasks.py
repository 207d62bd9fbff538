"""Jobs of casework: the nightly retention purge of submissions and what hangs on them (messages,
uploads), one job per tenant. Casework runs it as it knows forms and its own messages and audit
log; forms knows neither (docs/decisions/0011-layers-and-shared-homes.md)."""

from __future__ import annotations

from procrastinate.contrib.django import app

from portalwerk.platform.jobs import tenant_task


# The names are the ones these jobs had under `forms.tasks`: jobs already queued keep running.
@tenant_task(queue="retention", name="portalwerk.platform.forms.tasks.purge_expired_submissions")
def purge_expired_submissions() -> dict:
    from portalwerk.platform.casework.retention import purge_expired

    return purge_expired()


@app.periodic(cron="17 3 * * *")
@app.task(queue="retention", name="portalwerk.platform.forms.tasks.purge_all_tenants")
def purge_all_tenants(timestamp: int) -> int:
    """Nightly: one purge job per active tenant, each in its own schema."""
    from portalwerk.tenants.models import Tenant, TenantStatus

    schemas = Tenant.objects.exclude(schema_name="public").filter(status=TenantStatus.ACTIVE)
    count = 0
    for schema_name in schemas.values_list("schema_name", flat=True):
        purge_expired_submissions.defer(schema_name=schema_name)
        count += 1
    return count
