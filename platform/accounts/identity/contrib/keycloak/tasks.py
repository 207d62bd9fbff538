"""The hourly sweep: in every active tenant and on the base host, deactivate the single-sign-on
staff Keycloak no longer lists (`members.deactivate_unlisted`), so that someone removed from
an organization loses a session they still hold, not only their next sign-in. One tenant's
failure (Keycloak answering badly for it) is logged and the others still run."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context
from procrastinate.contrib.django import app

logger = logging.getLogger(__name__)


def _schemas() -> list[str]:
    from portalwerk.tenants.models import Tenant, TenantStatus

    with schema_context("public"):
        return list(
            Tenant.objects.filter(status=TenantStatus.ACTIVE).values_list("schema_name", flat=True)
        )


def sweep() -> dict[str, int]:
    """Schema name -> how many were deactivated there (-1: Keycloak could not be asked)."""
    from portalwerk.platform.accounts.identity.contrib.keycloak import members
    from portalwerk.platform.authz.actors import system

    done = {}
    for schema in _schemas():
        with schema_context(schema):
            try:
                done[schema] = len(members.deactivate_unlisted(actor=system("keycloak-sweep")))
            except ValidationError as exc:
                logger.warning("Keycloak sweep skipped %s: %s", schema, "; ".join(exc.messages))
                done[schema] = -1
    connection.set_schema_to_public()
    return done


@app.periodic(cron=settings.KEYCLOAK_SWEEP_CRON, periodic_id="keycloak-sweep")
@app.task(queue="maintenance", queueing_lock="keycloak-sweep")
def sweep_unlisted(timestamp: int) -> dict[str, int]:
    return sweep()
