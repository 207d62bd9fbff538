"""Writes on the template library (operators, in the public schema)."""

from __future__ import annotations

from django.db import transaction

from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.library.models import CONTENT_FIELDS, ServiceTemplate


def save_template(*, actor: Actor, template: ServiceTemplate) -> ServiceTemplate:
    """Create or change a template; a change of its content raises its version by one, which
    tenants that adopted it see as "library changed since"."""
    template.full_clean()
    with transaction.atomic():
        if template.pk is None:
            template.version = 1
            template.save()
            return template
        current = ServiceTemplate.objects.select_for_update().get(pk=template.pk)
        changed = any(getattr(current, f) != getattr(template, f) for f in CONTENT_FIELDS)
        template.version = current.version + (1 if changed else 0)
        template.save()
    return template
