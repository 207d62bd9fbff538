"""Jobs of the hand-over app. `deliver` runs in the tenant's schema (passed explicitly); the
periodic sweep iterates the tenants itself."""

from __future__ import annotations

from django.db import connection
from django_tenants.utils import schema_context
from procrastinate.contrib.django import app

from portalwerk.platform.jobs import current_job_id, tenant_task


@tenant_task(queue="handover")
def deliver(*, delivery_id: int) -> str:
    from portalwerk.platform.handover.sending import send

    return send(delivery_id, job_id=current_job_id())


@app.periodic(cron="*/5 * * * *", periodic_id="handover-resume")
@app.task(queue="handover", queueing_lock="handover.resume_owed")
def resume_owed_deliveries(timestamp: int) -> dict[str, int]:
    """Every five minutes, in every tenant: defer the job of each delivery that is owed and
    has none (`outbox.resume_owed`)."""
    from portalwerk.platform.handover.outbox import resume_owed
    from portalwerk.tenants.models import Tenant, TenantStatus

    with schema_context("public"):
        schemas = list(
            Tenant.objects.exclude(schema_name="public")
            .filter(status=TenantStatus.ACTIVE)
            .values_list("schema_name", flat=True)
        )
    done = {}
    for schema in schemas:
        with schema_context(schema):
            done[schema] = resume_owed()
    connection.set_schema_to_public()
    return done
