"""The form-template library in the public schema, shared by every tenant.

A tenant adopts a template by copying it into its own forms (`forms.services.adopt_template`),
and may adapt the copy; the copy remembers the library version, so the tenant sees when the
library moved on."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.forms.engine.specs import localize


class FormTemplate(models.Model):
    key = models.SlugField(_("key"), max_length=80, unique=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.JSONField(_("title"))
    description = models.JSONField(_("description"), default=dict, blank=True)
    service_key = models.SlugField(_("catalogue service"), max_length=80, blank=True)
    definition = models.JSONField(_("definition"))
    retention_days = models.PositiveIntegerField(_("keep submissions for (days)"), default=365)
    updated_at = models.DateTimeField(_("changed on"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("form template")
        verbose_name_plural = _("form templates")

    def __str__(self) -> str:
        return localize(self.title)
