"""What staff change through the Django-admin pages of the back office and the operator console
goes into the one audit trail (instead of Django's own admin log, a second trail that would
also keep each object's name). An admin site wraps every ModelAdmin it registers with
`audited()`."""

from __future__ import annotations

from django.contrib import admin

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record, record_many
from portalwerk.platform.authz.actors import actor_for


def _changed_fields(message) -> list[str]:
    """The names of the changed fields from the admin's change message (no values)."""
    if not isinstance(message, list):
        return []
    names: list[str] = []
    for part in message:
        for change in part.values() if isinstance(part, dict) else ():
            names.extend(str(name)[:60] for name in change.get("fields", ()))
    return names


class AuditedChanges:
    """`audit_admin_changes = False` on a ModelAdmin whose saves go through services that write
    their own entries (the operator console's tenants: `tenant.created`): nothing is recorded
    twice. (Read with getattr: this mixin comes first in the MRO.)"""

    def log_addition(self, request, obj, message):
        if not getattr(self, "audit_admin_changes", True):
            return None
        return record(actor_for(request), Action.RECORD_CREATED, obj, model=obj._meta.label)

    def log_change(self, request, obj, message):
        if not getattr(self, "audit_admin_changes", True):
            return None
        return record(
            actor_for(request),
            Action.RECORD_CHANGED,
            obj,
            model=obj._meta.label,
            fields=_changed_fields(message),
        )

    def log_deletions(self, request, queryset):
        # a queryset from the bulk action, or a one-object list from the delete page
        objects = list(queryset)
        if not objects or not getattr(self, "audit_admin_changes", True):
            return []
        label = objects[0]._meta.label
        return record_many(actor_for(request), Action.RECORD_DELETED, objects, model=label)


def audited(admin_class: type[admin.ModelAdmin] | None) -> type[admin.ModelAdmin]:
    admin_class = admin_class or admin.ModelAdmin
    if issubclass(admin_class, AuditedChanges):
        return admin_class
    return type(f"Audited{admin_class.__name__}", (AuditedChanges, admin_class), {})


class AuditedSite:
    """Mixin for an AdminSite: every registered ModelAdmin writes to the audit trail."""

    def register(self, model_or_iterable, admin_class=None, **options):
        return super().register(model_or_iterable, audited(admin_class), **options)
