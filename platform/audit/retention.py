"""The audit trail's own retention rule: entries older than PORTALWERK_AUDIT_RETENTION_DAYS go,
in the schema that is active. Nothing else deletes audit entries (they name objects by text,
so purging a submission or an appointment leaves its entries in place)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import system

BATCH = 5000


def cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=settings.PORTALWERK_AUDIT_RETENTION_DAYS)


def purge_old_entries(now: dt.datetime | None = None) -> int:
    """Delete expired entries in batches (short transactions on a large log); the purge itself
    leaves one entry."""
    limit = cutoff(now)
    total = 0
    while True:
        with transaction.atomic():
            ids = list(Entry.objects.filter(at__lt=limit).values_list("pk", flat=True)[:BATCH])
            if not ids:
                break
            total += Entry.objects.filter(pk__in=ids).delete()[0]
    if total:
        record(
            system("audit-retention"), Action.AUDIT_PURGED, deleted=total, before=limit.isoformat()
        )
    return total
