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
from portalwerk.tenants import names, onboarding, routing, schemas
from portalwerk.tenants.errors import TenantErrorCode as Code
from portalwerk.tenants.models import Domain, Tenant, TenantKind, TenantStatus
from portalwerk.tenants.upgrades import require_operator
from portalwerk.tenants.validators import (
    district_part,
    validate_domain,
    validate_module_names,
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
    """Check everything about a tenant to be created; return its parent. Raises one
    ValidationError that names every problem of the input, per field, not only the first."""
    problems = _Problems()
    if not data.name.strip():
        problems.add("name", _("A tenant needs a name."), Code.NAME_REQUIRED)
    slug_ok = problems.check("slug", validate_slug, data.slug)
    if data.kind not in {TenantKind.DISTRICT, TenantKind.MUNICIPALITY, TenantKind.ASSOCIATION}:
        problems.add(
            "kind",
            _("The kind must be district, municipality or association, not %(kind)r.")
            % {"kind": data.kind},
            Code.INVALID_KIND,
        )
    problems.check("modules", validate_module_names, data.modules or ())
    if slug_ok and Tenant.objects.filter(slug=data.slug).exists():
        slug_ok = False  # its host is taken too, which says nothing new
        problems.add(
            "slug",
            _("A tenant with the slug %(slug)r exists already.") % {"slug": data.slug},
            Code.DUPLICATE_SLUG,
        )
    extra = [d.lower().strip() for d in data.domains]
    domains_ok = all([problems.check("domains", validate_domain, host) for host in extra])
    hosts = [tenant_host(data.slug), *extra] if slug_ok else extra
    if len(set(hosts)) != len(hosts):
        problems.add("domains", _("A domain is listed twice."), Code.DUPLICATE_DOMAIN)
    elif domains_ok:
        for taken in Domain.objects.filter(domain__in=hosts).values_list("domain", flat=True):
            problems.add(
                "domains",
                _("The domain %(domain)s belongs to another tenant already.") % {"domain": taken},
                Code.DUPLICATE_DOMAIN,
            )
    if data.admin_email.strip():
        problems.check("admin_email", onboarding.check_admin_email, data.admin_email)
    parent = _parent(data, problems)
    if data.official_key and problems.check(
        "official_key", validate_official_key, data.official_key
    ):
        if Tenant.objects.filter(official_key=data.official_key).exists():
            problems.add(
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
            problems.add(
                "official_key",
                _(
                    "The key %(key)s does not lie in the district %(district)s (its key starts "
                    "with %(prefix)s)."
                )
                % {
                    "key": data.official_key,
                    # German: "im Kreis Musterland", whatever the name carries
                    "district": names.phrase(parent, "in", kind=TenantKind.DISTRICT),
                    "prefix": district_part(parent.official_key),
                },
                Code.KEY_OUTSIDE_DISTRICT,
            )
    problems.raise_any()
    return parent


def _parent(data: NewTenant, problems: _Problems) -> Tenant | None:
    if not data.parent_slug:
        return None
    parent = Tenant.objects.filter(slug=data.parent_slug).first()
    if parent is None:
        problems.add(
            "parent",
            _("There is no tenant with the slug %(slug)r to be the district.")
            % {"slug": data.parent_slug},
            Code.UNKNOWN_PARENT,
        )
        return None
    if parent.kind != TenantKind.DISTRICT:
        problems.add(
            "parent",
            _("%(name)s is not a district, so it cannot have members.") % {"name": parent.name},
            Code.INVALID_PARENT,
        )
    elif data.kind == TenantKind.DISTRICT:
        problems.add(
            "parent", _("A district cannot belong to another tenant."), Code.INVALID_PARENT
        )
    return parent


class _Problems:
    """The problems found so far, per field, raised together at the end."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, code: str) -> None:
        self.by_field.setdefault(field, []).append(ValidationError(message, code=code))

    def check(self, field: str, validator, value) -> bool:
        try:
            validator(value)
        except ValidationError as exc:
            self.by_field.setdefault(field, []).extend(exc.error_list)
            return False
        return True

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def create_tenant(*, actor: Actor, data: NewTenant) -> Tenant:
    """Onboard a tenant: row, domains and a schema cloned from the template, all or nothing."""
    parent = validate_new_tenant(data)
    with transaction.atomic():
        tenant, hosts = write_tenant_record(actor=actor, data=data, parent=parent)
        schemas.create_schema(tenant.schema_name)
        tenant.status = TenantStatus.ACTIVE
        tenant.save(update_fields=["status", "updated_at"])
        if data.admin_email.strip():
            onboarding.invite_first_admin(actor=actor, tenant=tenant, email=data.admin_email)
    transaction.on_commit(lambda: routing.forget(*hosts))
    return tenant


def write_tenant_record(
    *, actor: Actor, data: NewTenant, parent: Tenant | None
) -> tuple[Tenant, list[str]]:
    """The tenant's row (status provisioning) and its domains, audited; no schema yet. Checked
    input only (`validate_new_tenant`), in the caller's transaction. Returns the hosts too."""
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
    record(
        actor,
        Action.TENANT_CREATED,
        tenant,
        kind=tenant.kind,
        parent=data.parent_slug,
        domains=hosts,
    )
    return tenant, hosts


def get_tenant(slug: str) -> Tenant:
    tenant = Tenant.objects.exclude(schema_name="public").filter(slug=slug).first()
    if tenant is None:
        raise _error("slug", _("There is no tenant %(slug)r.") % {"slug": slug}, Code.NOT_FOUND)
    return tenant


def _set_status(
    *, actor: Actor, slug: str, status: str, allowed_from: set[str], action: Action, refusal: str
) -> Tenant:
    require_operator(actor)
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


def set_mail_from(*, actor: Actor, slug: str, address: str) -> Tenant:
    """The address the tenant's mails come from (empty: the installation's, PORTALWERK_MAIL_FROM).
    Its domain must let the installation's mail server send for it; the operator checks that."""
    from django.core.validators import validate_email

    address = (address or "").strip()
    if address:
        try:
            validate_email(address)
        except ValidationError:
            raise _error(
                "mail_from",
                _("Enter an email address in the right format, like portal@example.org."),
                Code.INVALID_EMAIL,
            ) from None
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(pk=get_tenant(slug).pk)
        if tenant.mail_from != address:
            tenant.mail_from = address
            tenant.save(update_fields=["mail_from", "updated_at"])
            record(actor, Action.TENANT_SENDER_CHANGED, tenant)
    return tenant


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
