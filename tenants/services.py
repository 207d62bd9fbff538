"""Writes on tenants: onboarding, suspension, resumption, deletion. CLI, operator console and the
platform GraphQL API all call these; none carries rules of its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.error_codes import code_error
from portalwerk.tenants import onboarding, routing, schemas
from portalwerk.tenants.errors import TenantErrorCode as Code
from portalwerk.tenants.models import Domain, Module, Tenant, TenantKind, TenantStatus
from portalwerk.tenants.validators import (
    district_part,
    validate_domain,
    validate_official_key,
    validate_slug,
)


def _error(field: str, message: str, code: str) -> ValidationError:
    return code_error(code, message, field)


def tenant_host(slug: str) -> str:
    return f"{slug}.{settings.PORTALWERK_BASE_DOMAIN}"


def schema_name_for(slug: str) -> str:
    return "t_" + slug.replace("-", "_")


@dataclass(frozen=True)
class NewTenant:
    name: str
    slug: str
    kind: str
    parent_slug: str | None = None
    official_key: str = ""
    domains: Sequence[str] = ()
    modules: Sequence[str] | None = None
    #: optional: invited as the first tenant admin, in the same transaction (tenants.onboarding)
    admin_email: str = ""


def validate_new_tenant(data: NewTenant) -> Tenant | None:
    """Check everything about a tenant to be created; return its parent. Raises ValidationError."""
    if not data.name.strip():
        raise _error("name", _("A tenant needs a name."), Code.NAME_REQUIRED)
    try:
        validate_slug(data.slug)
    except ValidationError as exc:
        raise ValidationError({"slug": exc}) from None
    if data.kind not in {TenantKind.DISTRICT, TenantKind.MUNICIPALITY, TenantKind.ASSOCIATION}:
        raise _error(
            "kind",
            _("The kind must be district, municipality or association, not %(kind)r.")
            % {"kind": data.kind},
            Code.INVALID_KIND,
        )
    for module in data.modules or ():
        if module not in Module.values:
            raise _error(
                "modules",
                _("Unknown module %(module)r; known are: %(known)s.")
                % {"module": module, "known": ", ".join(Module.values)},
                Code.INVALID_MODULE,
            )
    if Tenant.objects.filter(slug=data.slug).exists():
        raise _error(
            "slug",
            _("A tenant with the slug %(slug)r exists already.") % {"slug": data.slug},
            Code.DUPLICATE_SLUG,
        )
    hosts = [tenant_host(data.slug), *(d.lower().strip() for d in data.domains)]
    for host in hosts[1:]:
        try:
            validate_domain(host)
        except ValidationError as exc:
            raise ValidationError({"domains": exc}) from None
    if len(set(hosts)) != len(hosts):
        raise _error("domains", _("A domain is listed twice."), Code.DUPLICATE_DOMAIN)
    taken = list(Domain.objects.filter(domain__in=hosts).values_list("domain", flat=True))
    if taken:
        raise _error(
            "domains",
            _("The domain %(domain)s belongs to another tenant already.") % {"domain": taken[0]},
            Code.DUPLICATE_DOMAIN,
        )
    parent = None
    if data.parent_slug:
        parent = Tenant.objects.filter(slug=data.parent_slug).first()
        if parent is None:
            raise _error(
                "parent",
                _("There is no tenant with the slug %(slug)r to be the district.")
                % {"slug": data.parent_slug},
                Code.UNKNOWN_PARENT,
            )
        if parent.kind != TenantKind.DISTRICT:
            raise _error(
                "parent",
                _("%(name)s is not a district, so it cannot have members.") % {"name": parent.name},
                Code.INVALID_PARENT,
            )
        if data.kind == TenantKind.DISTRICT:
            raise _error(
                "parent", _("A district cannot belong to another tenant."), Code.INVALID_PARENT
            )
    if data.official_key:
        try:
            validate_official_key(data.official_key)
        except ValidationError as exc:
            raise ValidationError({"official_key": exc}) from None
        if Tenant.objects.filter(official_key=data.official_key).exists():
            raise _error(
                "official_key",
                _("Another tenant has the official key %(key)s already.")
                % {"key": data.official_key},
                Code.DUPLICATE_OFFICIAL_KEY,
            )
        if (
            parent
            and parent.official_key
            and (district_part(parent.official_key) != district_part(data.official_key))
        ):
            raise _error(
                "official_key",
                _(
                    "The key %(key)s does not lie in the district %(district)s (its key starts "
                    "with %(prefix)s)."
                )
                % {
                    "key": data.official_key,
                    "district": parent.name,
                    "prefix": district_part(parent.official_key),
                },
                Code.KEY_OUTSIDE_DISTRICT,
            )
    return parent


def create_tenant(*, actor: Actor, data: NewTenant) -> Tenant:
    """Onboard a tenant: row, domains and a schema cloned from the template, all or nothing."""
    parent = validate_new_tenant(data)
    with transaction.atomic():
        tenant = Tenant(
            name=data.name.strip(),
            slug=data.slug,
            schema_name=schema_name_for(data.slug),
            kind=data.kind,
            parent=parent,
            official_key=data.official_key,
            status=TenantStatus.PROVISIONING,
        )
        if data.modules is not None:
            tenant.modules = list(data.modules)
        tenant.save()
        hosts = [tenant_host(data.slug), *(d.lower().strip() for d in data.domains)]
        for index, host in enumerate(hosts):
            Domain.objects.create(domain=host, tenant=tenant, is_primary=index == 0)
        schemas.create_schema(tenant.schema_name)
        tenant.status = TenantStatus.ACTIVE
        tenant.save(update_fields=["status", "updated_at"])
        record(
            actor,
            Action.TENANT_CREATED,
            tenant,
            kind=tenant.kind,
            parent=data.parent_slug,
            domains=hosts,
        )
        if data.admin_email.strip():
            onboarding.invite_first_admin(actor=actor, tenant=tenant, email=data.admin_email)
    transaction.on_commit(lambda: routing.forget(*hosts))
    return tenant


def get_tenant(slug: str) -> Tenant:
    tenant = Tenant.objects.exclude(schema_name="public").filter(slug=slug).first()
    if tenant is None:
        raise _error("slug", _("There is no tenant %(slug)r.") % {"slug": slug}, Code.NOT_FOUND)
    return tenant


def _set_status(
    *, actor: Actor, slug: str, status: str, allowed_from: set[str], action: Action, refusal: str
) -> Tenant:
    with transaction.atomic():
        tenant = get_tenant(slug)
        tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
        if tenant.status == status:
            return tenant
        if tenant.status not in allowed_from:
            raise _error(
                "status",
                refusal % {"name": tenant.name, "status": tenant.get_status_display()},
                Code.INVALID_STATUS,
            )
        tenant.status = status
        tenant.save(update_fields=["status", "updated_at"])
        record(actor, action, tenant)
    hosts = list(tenant.domains.values_list("domain", flat=True))
    transaction.on_commit(lambda: routing.forget(*hosts))
    return tenant


def suspend_tenant(*, actor: Actor, slug: str) -> Tenant:
    return _set_status(
        actor=actor,
        slug=slug,
        status=TenantStatus.SUSPENDED,
        allowed_from={TenantStatus.ACTIVE},
        action=Action.TENANT_SUSPENDED,
        refusal=_("%(name)s cannot be suspended while its status is “%(status)s”."),
    )


def resume_tenant(*, actor: Actor, slug: str) -> Tenant:
    return _set_status(
        actor=actor,
        slug=slug,
        status=TenantStatus.ACTIVE,
        allowed_from={TenantStatus.SUSPENDED},
        action=Action.TENANT_RESUMED,
        refusal=_("%(name)s cannot be resumed while its status is “%(status)s”."),
    )


def delete_tenant(*, actor: Actor, slug: str) -> None:
    """Offboard: drop the schema and the tenant's rows. Districts with members are refused."""
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(pk=get_tenant(slug).pk)
        members = list(tenant.members.values_list("slug", flat=True))
        if members:
            raise _error(
                "slug",
                _("%(name)s still has member municipalities: %(members)s.")
                % {"name": tenant.name, "members": ", ".join(members)},
                Code.HAS_MEMBERS,
            )
        hosts = list(tenant.domains.values_list("domain", flat=True))
        schemas.drop_schema(tenant.schema_name)
        tenant.domains.all().delete()
        Tenant.objects.filter(pk=tenant.pk).delete()
        record(actor, Action.TENANT_DELETED, object_type="tenant", object_id=slug)
    transaction.on_commit(lambda: routing.forget(*hosts))


def ensure_platform_tenant() -> Tenant:
    """The public schema's own row, so the base domain routes to the platform site."""
    tenant, _created = Tenant.objects.get_or_create(
        schema_name="public",
        defaults={
            "name": "Portalwerk",
            "slug": "platform",
            "kind": TenantKind.PLATFORM,
            "status": TenantStatus.ACTIVE,
            "modules": [],
        },
    )
    Domain.objects.get_or_create(
        domain=settings.PORTALWERK_BASE_DOMAIN, defaults={"tenant": tenant, "is_primary": True}
    )
    return tenant
