"""Demo forms: the shared library synced, and its templates adopted and published by each demo
tenant, except those for services its district provides. Idempotent."""

from __future__ import annotations

from django.db import connection
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.catalog.queries import district_service_keys
from portalwerk.platform.formlibrary.library import TEMPLATES, sync_library
from portalwerk.platform.forms import services
from portalwerk.platform.forms.models import Form
from portalwerk.tenants.current import current_tenant


def seed_library() -> None:
    with schema_context("public"):
        sync_library()


def seed_forms(*, actor: Actor) -> list[Form]:
    """Adopt every library template in the active tenant schema (unless adopted already), but
    none for a service the tenant's district provides: citizens apply for that at the district
    (seed the district's catalogue first)."""
    assert connection.schema_name != "public"
    districts = district_service_keys(current_tenant())
    made = []
    for data in TEMPLATES:
        if data["service_key"] in districts:
            continue
        form = Form.objects.filter(slug=data["key"]).first()
        if form is None:
            form = services.adopt_template(actor=actor, key=data["key"], publish=True)
        made.append(form)
    return made
