"""Demo hand-over targets: in each demo tenant that has the fishing or hunting licence form,
"Demo-Fachverfahren" (the demo back office on the base host) and, where the `dms` backend is
enabled, "DMS-Ablage" (xdomea messages into a folder under the demo's home). Idempotent."""

from __future__ import annotations

import logging

from portalwerk.platform.forms.models import Form
from portalwerk.platform.handover.models import Target
from portalwerk.platform.handover.registry import backends
from portalwerk.tenants.current import current_tenant

#: the shared library's templates whose submissions the demo hands over
FORMS = ("fishing-licence-exam", "hunting-licence-exam")
BACK_OFFICE = "Demo-Fachverfahren"
logger = logging.getLogger(__name__)
DMS = "DMS-Ablage"


def _dms_config() -> dict | None:
    """The DMS target's settings, as a tenant admin would enter them, checked by the backend's
    own form; None when that form does not take them (then the target is left out)."""
    tenant = current_tenant()
    form = backends.get("dms").config_form(
        data={
            "destination": "folder",
            "folder": "dms-ablage",
            "timeout": 30,
            "recipient_name": tenant.name,
            "recipient_unit": "Ordnungsamt",
            "creator": "portalwerk",
        }
    )
    return form.cleaned_data if form.is_valid() else None


def _target(name: str, backend: str, config: dict, forms: list[Form]) -> Target:
    # targets have no service function yet (the tenant admin's target pages come with one)
    target = Target.objects.filter(name=name, backend=backend).first()
    if target is None:
        target = Target.objects.create(name=name, backend=backend, config=config)
    target.forms.add(*forms)
    return target


def seed_targets() -> list[Target]:
    forms = list(Form.objects.filter(slug__in=FORMS))
    if not forms:
        return []
    made = []
    if backends.is_enabled("demo"):
        made.append(_target(BACK_OFFICE, "demo", {}, forms))
    if backends.is_enabled("dms"):
        config = _dms_config()
        if config is None:
            logger.warning("The dms backend refused the demo's settings; no %s target", DMS)
        else:
            made.append(_target(DMS, "dms", config, forms))
    return made
