"""Demo hand-over targets: in each demo tenant that has the fishing or hunting licence form,
"Demo-Fachverfahren" (the demo back office on the base host) and, where the `dms` backend is
enabled, "DMS-Ablage" (xdomea messages into a folder under the demo's home). Idempotent."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError

from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.forms.models import Form
from portalwerk.platform.handover import targets
from portalwerk.platform.handover.models import Target
from portalwerk.platform.handover.registry import backends
from portalwerk.tenants.current import current_tenant

#: the shared library's templates whose submissions the demo hands over
FORMS = ("fishing-licence-exam", "hunting-licence-exam")
BACK_OFFICE = "Demo-Fachverfahren"
logger = logging.getLogger(__name__)
DMS = "DMS-Ablage"


def _dms_config() -> dict:
    """The DMS target's settings, as a tenant admin would enter them."""
    return {
        "destination": "folder",
        "folder": "dms-ablage",
        "timeout": 30,
        "recipient_name": current_tenant().name,
        "recipient_unit": "Ordnungsamt",
        "creator": "portalwerk",
    }


def _target(actor: Actor, name: str, backend: str, config: dict, forms: list[Form]) -> Target:
    """Through the tenant admin's own service, so the backend's settings form checks the
    settings and the audit trail says who made the target; kept when seeded before."""
    target = Target.objects.filter(name=name, backend=backend).first()
    if target is None:
        target = targets.add_target(
            actor=actor, backend=backend, name=name, config=config, form_ids=[f.pk for f in forms]
        )
    return target


def seed_targets(*, actor: Actor) -> list[Target]:
    forms = list(Form.objects.filter(slug__in=FORMS))
    if not forms:
        return []
    made = []
    if backends.is_enabled("demo"):
        made.append(_target(actor, BACK_OFFICE, "demo", {}, forms))
    if backends.is_enabled("dms"):
        try:
            made.append(_target(actor, DMS, "dms", _dms_config(), forms))
        except ValidationError as error:
            logger.warning("The dms backend refused the demo's settings (%s); no %s", error, DMS)
    return made
