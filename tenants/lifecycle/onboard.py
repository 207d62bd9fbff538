"""Onboarding's steps, in order: the tenant record (status provisioning), Terraform apply, the
schema cloned from the template, demo content if asked, the first tenant admin invited, active.

Each step first looks at what is there (the run's tenant row, a complete schema, an account for
the address), so running it again after a kill finds its own work and does not repeat it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_exists

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.error_codes import code_error
from portalwerk.tenants import onboarding, routing, schemas, services
from portalwerk.tenants.errors import TenantErrorCode as Code
from portalwerk.tenants.lifecycle import provisioning
from portalwerk.tenants.lifecycle.runner import Skipped, Step, inside_step
from portalwerk.tenants.models import LifecycleRun, Tenant, TenantStatus


def new_tenant_of(run: LifecycleRun) -> services.NewTenant:
    o = run.options
    return services.NewTenant(
        name=o["name"],
        slug=run.slug,
        kind=o["kind"],
        parent_slug=o.get("parent") or None,
        official_key=o.get("official_key", ""),
        domains=o.get("domains", []),
        modules=o.get("modules"),
        admin_email=o.get("admin_email", ""),
    )


def options_of(data: services.NewTenant, *, demo_content: bool) -> dict:
    return {
        "name": data.name.strip(),
        "kind": data.kind,
        "parent": data.parent_slug or "",
        "official_key": data.official_key,
        "domains": [d.lower().strip() for d in data.domains],
        "modules": list(data.modules) if data.modules is not None else None,
        "admin_email": data.admin_email.strip().lower(),
        "demo_content": demo_content,
    }


def _tenant(run: LifecycleRun) -> Tenant:
    return Tenant.objects.get(pk=run.tenant_id)


def write_record(run: LifecycleRun, actor: Actor) -> str:
    found = Tenant.objects.filter(slug=run.slug).first()
    if found is not None:
        if found.pk == run.tenant_id:
            return _("The tenant record exists already.")
        raise code_error(
            Code.DUPLICATE_SLUG,
            _("A tenant with the slug %(slug)r exists already.") % {"slug": run.slug},
            "slug",
        )
    data = new_tenant_of(run)
    parent = services.validate_new_tenant(data)  # what was true at the start may not be now
    with inside_step("record"):
        tenant, hosts = services.write_tenant_record(actor=actor, data=data, parent=parent)
        LifecycleRun.objects.filter(pk=run.pk).update(tenant=tenant)
        run.tenant = tenant
    routing.forget(*hosts)
    return _("Tenant record written, status provisioning.")


def apply_terraform(run: LifecycleRun, actor: Actor) -> str:
    provisioning.require_configured()
    return provisioning.apply(actor=actor, slug=run.slug)


def clone_schema(run: LifecycleRun, actor: Actor) -> str:
    tenant = _tenant(run)
    name = tenant.schema_name
    if schema_exists(name):
        if not schemas.schemas_behind([name]):
            return _("The schema %(schema)s exists already and is complete.") % {"schema": name}
        if run.steps.get(name="schema").attempts <= 1:
            # not ours: nothing of this onboarding ran this step before
            raise code_error(
                Code.SCHEMA_TAKEN,
                _("A schema named %(schema)s exists already; it was not made by this onboarding.")
                % {"schema": name},
                "slug",
            )
        # an incomplete schema of an earlier attempt: only replaying migrations (cloning
        # switched off) leaves one, the clone is one transaction
        schemas.drop_schema(name)
    if settings.TENANT_CREATION_FAKES_MIGRATIONS:
        schemas.ensure_template()  # outside the step's transaction: it may migrate the template
        with inside_step("schema"):
            schemas.create_schema(name)
    else:
        schemas.create_schema(name)
    return _("Schema %(schema)s cloned from the template.") % {"schema": name}


def add_content(run: LifecycleRun, actor: Actor) -> str:
    if not run.options.get("demo_content"):
        raise Skipped(_("Not asked for."))
    with inside_step("content"):
        if not onboarding.seed_content(_tenant(run)):
            raise Skipped(_("No app of this installation provides demo content."))
    return _("The library's demo services adopted, with demo offices and portal settings.")


DUPLICATE_ACCOUNT = "duplicate_email"


def invite_admin(run: LifecycleRun, actor: Actor) -> str:
    email = run.options.get("admin_email", "")
    if not email:
        if run.options.get("admin_invited"):
            return _("The first tenant admin was invited.")
        raise Skipped(_("No first tenant admin was named."))
    tenant = _tenant(run)
    try:
        with inside_step("admin"):
            onboarding.invite_first_admin(actor=actor, tenant=tenant, email=email)
            _forget_address(run)
    except ValidationError as exc:
        codes = (
            {e.code for e in exc.error_list}
            if not hasattr(exc, "error_dict")
            else {e.code for errors in exc.error_dict.values() for e in errors}
        )
        if DUPLICATE_ACCOUNT not in codes:
            raise
        # the invitation and its account are one transaction: an account means it was sent
        with transaction.atomic():
            _forget_address(run)
        return _("An account for the first tenant admin exists already.")
    return _("The first tenant admin was invited.")


def _forget_address(run: LifecycleRun) -> None:
    """The address is needed until the invitation is out; then the run keeps no personal data."""
    options = {**run.options, "admin_email": "", "admin_invited": True}
    LifecycleRun.objects.filter(pk=run.pk).update(options=options)
    run.options = options


def activate(run: LifecycleRun, actor: Actor) -> str:
    with inside_step("activate"):
        tenant = Tenant.objects.select_for_update().get(pk=run.tenant_id)
        if tenant.status == TenantStatus.ACTIVE:
            return _("The tenant is active already.")
        tenant.status = TenantStatus.ACTIVE
        tenant.save(update_fields=["status", "updated_at"])
        record(actor, Action.TENANT_ONBOARDED, tenant)
        hosts = list(tenant.domains.values_list("domain", flat=True))
    routing.forget(*hosts)
    return _("The tenant is active.")


STEPS = [
    Step("record", write_record),
    Step("terraform", apply_terraform),
    Step("schema", clone_schema),
    Step("content", add_content),
    Step("admin", invite_admin),
    Step("activate", activate),
]
