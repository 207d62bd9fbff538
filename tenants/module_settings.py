"""Switching a tenant's modules on and off after creation, and what its contract allows.

Operators (console, CLI, platform API) may do both; tenant admins (back office, tenant API) may
switch, on their own tenant only, the modules its contract allows. Switching a module off hides
its pages and API (`tenants.modules`) and keeps every row it wrote: switched on again, the data is
back. Each change is audited in the schema where it was made (an operator's in public, a tenant
admin's in the tenant's own)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import Actor, check
from portalwerk.platform.error_codes import code_error
from portalwerk.tenants import routing
from portalwerk.tenants.errors import TenantErrorCode as Code
from portalwerk.tenants.models import Module, Tenant
from portalwerk.tenants.validators import validate_module_names


def _is_operator(actor: Actor) -> bool:
    return check(actor).is_system or capabilities.can_operate_platform(actor)


def _known(modules: Iterable[str], field: str) -> list[str]:
    modules = [str(m) for m in modules]
    try:
        validate_module_names(modules)
    except ValidationError as exc:
        raise ValidationError({field: exc.error_list}) from None
    return modules


def _ordered(modules: Iterable[str]) -> list[str]:
    chosen = set(modules)
    return [m for m in Module.values if m in chosen]


def _locked_tenant(actor: Actor, slug: str) -> Tenant:
    tenant = Tenant.objects.exclude(schema_name="public").filter(slug=slug).first()
    # a tenant admin acts on the tenant whose schema their account lives in, and on no other
    own = tenant is not None and connection.schema_name == tenant.schema_name
    if tenant is None or not (_is_operator(actor) or own):
        raise code_error(Code.NOT_FOUND, _("There is no tenant %(slug)r.") % {"slug": slug}, "slug")
    return Tenant.objects.select_for_update().get(pk=tenant.pk)


def _forget_hosts(tenant: Tenant) -> None:
    hosts = list(tenant.domains.values_list("domain", flat=True))
    transaction.on_commit(lambda: routing.forget(*hosts))


def set_modules(
    *, actor: Actor, slug: str, on: Iterable[str] = (), off: Iterable[str] = ()
) -> Tenant:
    """Switch modules on and off; `on` must lie within the tenant's allowed modules."""
    on, off = _known(on, "on"), _known(off, "off")
    if not _is_operator(actor):
        capabilities.require(actor, capabilities.Capability.MANAGE_MODULES)
    if set(on) & set(off):
        raise code_error(
            Code.INVALID_MODULE, _("A module cannot be switched on and off at once."), "off"
        )
    with transaction.atomic():
        tenant = _locked_tenant(actor, slug)
        outside = [m for m in on if m not in tenant.allowed_modules]
        if outside:
            raise code_error(
                Code.MODULE_NOT_ALLOWED,
                _("The contract of %(name)s does not include: %(modules)s.")
                % {"name": tenant.name, "modules": ", ".join(outside)},
                "on",
            )
        before = list(tenant.modules or [])
        after = _ordered((set(before) | set(on)) - set(off))
        if after != _ordered(before):
            tenant.modules = after
            tenant.save(update_fields=["modules", "updated_at"])
            record(
                actor,
                Action.TENANT_MODULES_CHANGED,
                tenant,
                switched_on=sorted(set(after) - set(before)),
                switched_off=sorted(set(before) - set(after)),
            )
            _forget_hosts(tenant)
    return tenant


def set_allowed_modules(*, actor: Actor, slug: str, allowed: Iterable[str]) -> Tenant:
    """The operator sets what the contract allows; modules no longer allowed are switched off
    (their data stays)."""
    allowed = _ordered(_known(allowed, "allowed"))
    if not _is_operator(actor):
        raise capabilities.permission_denied()
    with transaction.atomic():
        tenant = _locked_tenant(actor, slug)
        if allowed == _ordered(tenant.allowed_modules):
            return tenant
        before = list(tenant.allowed_modules)
        switched_off = [m for m in tenant.modules if m not in allowed]
        tenant.allowed_modules = allowed
        tenant.modules = [m for m in tenant.modules if m in allowed]
        tenant.save(update_fields=["allowed_modules", "modules", "updated_at"])
        record(
            actor,
            Action.TENANT_ALLOWED_MODULES_CHANGED,
            tenant,
            allowed_before=before,
            allowed=allowed,
            switched_off=switched_off,
        )
        _forget_hosts(tenant)
    return tenant


def modules_message(tenant: Tenant) -> str:
    on = ", ".join(tenant.modules) or "-"
    allowed = ", ".join(tenant.allowed_modules) or "-"
    return _("%(name)s: on %(on)s; allowed %(allowed)s.") % {
        "name": tenant.name,
        "on": on,
        "allowed": allowed,
    }
