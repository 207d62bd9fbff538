"""Terraform from the lifecycle's point of view: applied or destroyed for one tenant, or
skipped with a reason when the installation has no Keycloak provisioning configured (the demo,
most tests). Terraform is idempotent itself: applying again changes nothing that is there."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portalwerk.infra import services as infra
from portalwerk.infra import stacks
from portalwerk.infra.errors import InfraError
from portalwerk.platform.authz.actors import Actor
from portalwerk.tenants.lifecycle.runner import Skipped


def require_configured() -> None:
    missing = stacks.missing_settings()
    if missing:
        raise Skipped(
            _("Keycloak provisioning not configured (%(names)s not set).")
            % {"names": ", ".join(missing)}
        )


class ProvisioningFailed(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def apply(*, actor: Actor, slug: str) -> str:
    """The identity stack (the client's redirect URIs list every host) and the tenant's."""
    try:
        identity = infra.apply(actor=actor)
        tenant = infra.apply(actor=actor, slug=slug)
    except InfraError as exc:
        raise ProvisioningFailed(exc.message) from None
    return _("Terraform applied: %(add)d added, %(change)d changed.") % {
        "add": identity.add + tenant.add,
        "change": identity.change + tenant.change,
    }


def destroy(*, actor: Actor, slug: str) -> str:
    try:
        done = infra.destroy(actor=actor, slug=slug)
        stacks.tenant(slug).delete_workspace()
    except InfraError as exc:
        raise ProvisioningFailed(exc.message) from None
    return _("Terraform destroyed %(destroy)d resources.") % {"destroy": done.destroy}
