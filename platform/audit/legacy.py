"""Moving the four old audit tables (casework, appointments, payments, operators) into the one
audit trail. Used only by the migrations that remove those tables; they pass historical models.

Names and email addresses in the old rows become user ids (looked up in the same schema) and
free text is dropped, so the copy holds what a new entry would hold. The reverse copies entries
back with the actor's current address where the user still exists.
"""

from __future__ import annotations

from portalwerk.platform.audit.recording import PERSONAL_KEYS

_ROLE_KINDS = {
    "citizen": "citizen",
    "clerk_reader": "clerk",
    "clerk_processor": "clerk",
    "tenant_admin": "tenant_admin",
    "operator": "operator",
}

CASEWORK = {
    "viewed": "submission.opened",
    "downloaded": "submission.file_downloaded",
    "exported": "submission.exported",
    "status_changed": "submission.status_changed",
    "assigned": "submission.assigned",
    "message_sent": "submission.message_sent",
    "purged": "submission.purged",
}
APPOINTMENTS = {
    "book": "appointment.booked",
    "reschedule": "appointment.rescheduled",
    "cancel": "appointment.cancelled",
    "arrived": "appointment.arrived",
    "no_show": "appointment.no_show",
    "close_day": "appointment.day_closed",
    "view_day": "appointment.day_viewed",
}
PAYMENTS = {
    "refunded": "payment.refunded",
    "exported": "payment.reconciliation_exported",
    "viewed": "payment.viewed",
}
OPERATORS = {
    "create": "tenant.created",
    "suspended": "tenant.suspended",
    "resumed": "tenant.resumed",
    "deleted": "tenant.deleted",
    "merchant_account_connected": "tenant.merchant_account_connected",
}


class _Users:
    """The schema's users by id and by email, read once."""

    def __init__(self, apps):
        rows = apps.get_model("accounts", "User").objects.values_list("pk", "email", "role")
        self.by_id = {pk: (email, role) for pk, email, role in rows}
        self.by_email = {email.lower(): pk for pk, (email, _r) in self.by_id.items()}

    def actor(self, user_id=None, email: str = "") -> tuple[str, int | None]:
        if user_id is None and email:
            user_id = self.by_email.get(email.lower())
        if user_id is None or user_id not in self.by_id:
            return "system", None
        return _ROLE_KINDS.get(self.by_id[user_id][1], "citizen"), user_id

    def email(self, user_id) -> str:
        return self.by_id.get(user_id, ("", ""))[0]


def _clean(detail: dict, users: _Users) -> dict:
    out = {}
    for key, value in (detail or {}).items():
        if key == "assignee":  # was an email address
            out["assignee_id"] = users.by_email.get(str(value or "").lower())
        elif key.lower() not in PERSONAL_KEYS and not (isinstance(value, str) and "@" in value):
            out[key] = value
    return out


def _entries(apps, rows):
    Entry = apps.get_model("audit", "Entry")
    Entry.objects.bulk_create(Entry(**row) for row in rows)


def _copy_by_reference(apps, app_label: str, mapping: dict, object_type: str):
    """The old rows of an app that named its object by reference (casework: submissions,
    payments: payments) as entries of the one trail."""
    users = _Users(apps)
    old = apps.get_model(app_label, "AuditEntry").objects.order_by("id")
    _entries(
        apps,
        (
            {
                "at": e.at,
                **dict(zip(("actor_kind", "actor_user_id"), users.actor(e.actor_id), strict=True)),
                "action": mapping.get(e.action, f"{object_type}.{e.action}"),
                "object_type": object_type if e.reference else "",
                "object_id": e.reference,
                "detail": _clean(e.detail, users),
            }
            for e in old.iterator()
        ),
    )


def copy_casework(apps, schema_editor):
    _copy_by_reference(apps, "casework", CASEWORK, "submission")


def copy_payments(apps, schema_editor):
    _copy_by_reference(apps, "payments", PAYMENTS, "payment")


def copy_appointments(apps, schema_editor):
    users = _Users(apps)
    old = apps.get_model("appointments", "AuditEntry").objects.order_by("id")
    rows = []
    for e in old.iterator():
        detail = _clean(e.detail, users)
        if e.appointment_id:
            object_type, object_id = "appointment", str(e.appointment_id)
        elif "office" in detail:
            object_type, object_id = "office", str(detail["office"])
        else:
            object_type, object_id = "", ""
        kind, user_id = users.actor(email=e.actor)
        rows.append(
            {
                "at": e.at,
                "actor_kind": kind,
                "actor_user_id": user_id,
                "action": APPOINTMENTS.get(e.action, f"appointment.{e.action}"),
                "object_type": object_type,
                "object_id": object_id,
                "detail": detail,
            }
        )
    _entries(apps, rows)


def copy_operators(apps, schema_editor):
    users = _Users(apps)
    old = apps.get_model("tenants", "AuditEntry").objects.order_by("id")
    rows = []
    for e in old.iterator():
        kind, user_id = users.actor(email=e.actor)
        rows.append(
            {
                "at": e.at,
                "actor_kind": kind,
                "actor_user_id": user_id,
                "action": OPERATORS.get(e.action, f"tenant.{e.action}"),
                "object_type": "tenant",
                "object_id": e.tenant_slug,
                "detail": _clean(e.detail, users),
            }
        )
    _entries(apps, rows)


def _bulk_keep_at(model, rows) -> None:
    """bulk_create, then put back the times that the old models' auto_now_add overwrote."""
    rows = list(rows)
    times = [row.at for row in rows]
    created = model.objects.bulk_create(rows)
    for row, at in zip(created, times, strict=True):
        row.at = at
    model.objects.bulk_update(created, ["at"], batch_size=500)


def _moved(apps, mapping: dict):
    back = {new: old for old, new in mapping.items()}
    entries = apps.get_model("audit", "Entry").objects.filter(action__in=back)
    return back, entries


def _restore_by_reference(apps, mapping: dict, app_label: str, parent: tuple[str, str], fk: str):
    """Entries back into an old table whose rows named their object by reference and a foreign
    key (casework: submissions, payments: payments)."""
    back, entries = _moved(apps, mapping)
    users = _Users(apps)
    parents = dict(apps.get_model(*parent).objects.values_list("reference", "pk"))
    AuditEntry = apps.get_model(app_label, "AuditEntry")
    _bulk_keep_at(
        AuditEntry,
        [
            AuditEntry(
                at=e.at,
                actor_id=e.actor_user_id if e.actor_user_id in users.by_id else None,
                actor_label=users.email(e.actor_user_id) or e.actor_kind,
                action=back[e.action],
                reference=e.object_id,
                detail=e.detail,
                **{fk: parents.get(e.object_id)},
            )
            for e in entries.order_by("at", "id")
        ],
    )
    entries.delete()


def restore_casework(apps, schema_editor):
    _restore_by_reference(apps, CASEWORK, "casework", ("forms", "Submission"), "submission_id")


def restore_payments(apps, schema_editor):
    _restore_by_reference(apps, PAYMENTS, "payments", ("payments", "Payment"), "payment_id")


def restore_appointments(apps, schema_editor):
    back, entries = _moved(apps, APPOINTMENTS)
    users = _Users(apps)
    existing = set(
        apps.get_model("appointments", "Appointment").objects.values_list("pk", flat=True)
    )
    AuditEntry = apps.get_model("appointments", "AuditEntry")
    rows = []
    for e in entries.order_by("at", "id"):
        appointment = int(e.object_id) if e.object_type == "appointment" else None
        rows.append(
            AuditEntry(
                at=e.at,
                actor=users.email(e.actor_user_id) or e.actor_kind,
                action=back[e.action],
                appointment_id=appointment if appointment in existing else None,
                detail=e.detail,
            )
        )
    _bulk_keep_at(AuditEntry, rows)
    entries.delete()


def restore_operators(apps, schema_editor):
    back, entries = _moved(apps, OPERATORS)
    users = _Users(apps)
    AuditEntry = apps.get_model("tenants", "AuditEntry")
    _bulk_keep_at(
        AuditEntry,
        [
            AuditEntry(
                at=e.at,
                actor=users.email(e.actor_user_id) or e.actor_kind,
                action=back[e.action],
                tenant_slug=e.object_id,
                detail=e.detail,
            )
            for e in entries.order_by("at", "id")
        ],
    )
    entries.delete()
