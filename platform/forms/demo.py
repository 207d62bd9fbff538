"""Demo forms: the shared library synced, and its five templates adopted and published by each
demo tenant. Idempotent."""

from __future__ import annotations

from django.db import connection
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.formlibrary.library import TEMPLATES, sync_library
from portalwerk.platform.forms import services
from portalwerk.platform.forms.models import Form


def seed_library() -> None:
    with schema_context("public"):
        sync_library()


def seed_forms(*, actor: Actor) -> list[Form]:
    """Adopt every library template in the active tenant schema (unless adopted already)."""
    assert connection.schema_name != "public"
    made = []
    for data in TEMPLATES:
        form = Form.objects.filter(slug=data["key"]).first()
        if form is None:
            form = services.adopt_template(actor=actor, key=data["key"], publish=True)
        made.append(form)
    return made
