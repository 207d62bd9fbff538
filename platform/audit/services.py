"""Who may read the audit log (tenant admins, in their own schema) and its CSV export, which is
itself recorded."""

from __future__ import annotations

import csv
import io
import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.queries import LogFilter, label_actors, log_page
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import Actor

EXPORT_MAX_ROWS = 50_000
EXPORT_COLUMNS = [
    "at",
    "actor_kind",
    "actor_user_id",
    "actor",
    "action",
    "object_type",
    "object_id",
    "request_id",
    "detail",
]


def may_read_audit_log(actor: Actor) -> bool:
    return capabilities.can_read_audit_log(actor)


def require_audit_reader(actor: Actor) -> None:
    if not may_read_audit_log(actor):
        raise ValidationError(_("This was not found."), code="not_found")


def read_log(*, actor: Actor, log_filter: LogFilter, after: str = ""):
    """One page of the filtered log, for those who may read it (the uniform not-found else)."""
    require_audit_reader(actor)
    return log_page(log_filter, after=after)


def export_log(*, actor: Actor, log_filter: LogFilter) -> bytes:
    """The filtered log as CSV (newest first, at most EXPORT_MAX_ROWS rows)."""
    require_audit_reader(actor)
    entries = label_actors(list(log_filter.queryset()[:EXPORT_MAX_ROWS]))
    record(
        actor,
        Action.AUDIT_EXPORTED,
        rows=len(entries),
        filtered=sorted(k for k, v in vars(log_filter).items() if v),
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for e in entries:
        writer.writerow(
            [
                e.at.isoformat(),
                e.actor_kind,
                e.actor_user_id or "",
                _cell(e.actor_label),
                e.action,
                e.object_type,
                _cell(e.object_id),
                e.request_id,
                _cell(json.dumps(e.detail, ensure_ascii=False, sort_keys=True)),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode()


def _cell(text: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
