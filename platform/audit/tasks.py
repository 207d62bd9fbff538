"""The nightly audit purge: one job per tenant schema, plus the public schema's operator log."""

from __future__ import annotations

from django_tenants.utils import schema_context
from procrastinate.contrib.django import app

from portalwerk.platform.audit import context
from portalwerk.platform.jobs import tenant_task


@tenant_task(queue="retention")
def purge_audit_entries() -> int:
    from portalwerk.platform.audit.retention import purge_old_entries

    return purge_old_entries()


@app.periodic(cron="41 3 * * *")
@app.task(queue="retention", name="portalwerk.platform.audit.tasks.purge_all_audit_logs")
def purge_all_audit_logs(timestamp: int) -> int:
    """Nightly: purge the public schema's entries here, and defer one job per tenant."""
    from portalwerk.platform.audit.retention import purge_old_entries
    from portalwerk.tenants.models import Tenant

    with schema_context("public"), context.using(context.new_id("job-")):
        purge_old_entries()
        schemas = list(
            Tenant.objects.exclude(schema_name="public").values_list("schema_name", flat=True)
        )
    for schema_name in schemas:
        purge_audit_entries.defer(schema_name=schema_name)
    return len(schemas)
