"""The audit entry. No foreign keys: an entry outlives the user, the object and even the schema
rows it names, and is removed only by the audit retention rule."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.audit.actions import OBJECT_TYPES, Action, ActorKind


class Entry(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor_kind = models.CharField(_("kind of actor"), max_length=20, choices=ActorKind.choices)
    # The user's id in the schema the entry lives in; never a name or an email address.
    actor_user_id = models.BigIntegerField(_("user number"), null=True, blank=True)
    # An `Action` code; no `choices` here, so a new action code needs no migration.
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("kind of object"), max_length=40, blank=True)
    object_id = models.CharField(_("object number"), max_length=64, blank=True)
    request_id = models.CharField(_("request"), max_length=64, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        db_table = "audit_entry"
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        # The log page pages by (at, id) under each filter; retention deletes by `at`.
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_at_id"),
            models.Index(fields=["actor_user_id", "-at"], name="audit_actor_at"),
            models.Index(fields=["object_type", "object_id", "-at"], name="audit_object_at"),
            models.Index(fields=["action", "-at"], name="audit_action_at"),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%d.%m.%Y %H:%M} {self.action_label}"

    @property
    def action_label(self) -> str:
        try:
            return Action(self.action).label
        except ValueError:
            return self.action

    @property
    def object_type_label(self) -> str:
        return str(dict(OBJECT_TYPES).get(self.object_type, self.object_type))
