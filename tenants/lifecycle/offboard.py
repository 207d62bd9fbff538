"""Offboarding's steps, in order: the portal closed (status offboarding: it answers with a
notice and takes nothing new), a complete export written to the exports folder, Terraform
destroy, and, once the grace period the operator set is over, the schema dropped and the
tenant's rows deleted, leaving a deletion record in the public schema."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.error_codes import code_error
from portalwerk.tenants import routing, schemas
from portalwerk.tenants.archive import services as archive
from portalwerk.tenants.archive.manifest import NAME as MANIFEST
from portalwerk.tenants.archive.manifest import Manifest
from portalwerk.tenants.errors import TenantErrorCode as Code
from portalwerk.tenants.lifecycle import provisioning
from portalwerk.tenants.lifecycle.runner import Step, Wait, inside_step
from portalwerk.tenants.models import LifecycleRun, Tenant, TenantDeletion, TenantStatus


def exports_folder() -> Path:
    return Path(settings.PORTALWERK_EXPORTS_DIR)


def _tenant(run: LifecycleRun) -> Tenant:
    return Tenant.objects.get(pk=run.tenant_id)


def close_portal(run: LifecycleRun, actor: Actor) -> str:
    with inside_step("close"):
        tenant = Tenant.objects.select_for_update().get(pk=run.tenant_id)
        if tenant.status == TenantStatus.OFFBOARDING:
            return _("The portal is closed already.")
        tenant.status = TenantStatus.OFFBOARDING
        tenant.save(update_fields=["status", "updated_at"])
        hosts = list(tenant.domains.values_list("domain", flat=True))
    routing.forget(*hosts)
    return _("The portal is closed: it shows a notice and takes no new submissions.")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def write_export(run: LifecycleRun, actor: Actor) -> str:
    done = run.options.get("export") or {}
    if done:
        path = exports_folder() / done["file"]
        if path.is_file() and sha256_of(path) == done["sha256"]:
            return _("The export %(file)s exists already.") % {"file": done["file"]}
    tenant = _tenant(run)
    folder = exports_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"{tenant.slug}-{stamp}-offboarding.zip"
    path, size = archive.export_tenant(actor=actor, slug=tenant.slug, path=path)
    with zipfile.ZipFile(path) as opened:
        counts = Manifest.parse(opened.read(MANIFEST)).counts()
    export = {"file": path.name, "sha256": sha256_of(path), "size": size, "counts": counts}
    with inside_step("export"):
        LifecycleRun.objects.filter(pk=run.pk).update(options={**run.options, "export": export})
    run.options = {**run.options, "export": export}
    return _("Exported to %(path)s (%(size)s bytes, SHA-256 %(sha)s).") % {
        "path": path,
        "size": size,
        "sha": export["sha256"],
    }


def destroy_terraform(run: LifecycleRun, actor: Actor) -> str:
    provisioning.require_configured()
    return provisioning.destroy(actor=actor, slug=run.slug)


def purge(run: LifecycleRun, actor: Actor) -> str:
    if run.purge_after and timezone.now() < run.purge_after:
        raise Wait(
            _("The schema is dropped from %(when)s on (grace period).")
            % {"when": formats.date_format(timezone.localtime(run.purge_after), "DATETIME_FORMAT")}
        )
    if run.tenant_id is None and TenantDeletion.objects.filter(run=run).exists():
        return _("The tenant is deleted already.")
    export = run.options.get("export") or {}
    with inside_step("purge"):
        tenant = Tenant.objects.select_for_update().get(pk=run.tenant_id)
        members = list(tenant.members.values_list("slug", flat=True))
        if members:
            raise code_error(
                Code.HAS_MEMBERS,
                _("%(name)s still has member municipalities: %(members)s.")
                % {"name": tenant.name, "members": ", ".join(members)},
                "slug",
            )
        hosts = list(tenant.domains.values_list("domain", flat=True))
        schema = tenant.schema_name
        schemas.drop_schema(schema)
        TenantDeletion.objects.create(
            slug=tenant.slug,
            name=tenant.name,
            kind=tenant.kind,
            official_key=tenant.official_key,
            deleted_by=actor_text(actor),
            offboarding_started_by=run.started_by,
            export_file=export.get("file", ""),
            export_sha256=export.get("sha256", ""),
            counts=export.get("counts", {}),
            run=run,
        )
        tenant.domains.all().delete()
        Tenant.objects.filter(pk=tenant.pk).delete()
        record(actor, Action.TENANT_DELETED, object_type="tenant", object_id=run.slug)
        media = Path(settings.MEDIA_ROOT) / schema
        transaction.on_commit(lambda: shutil.rmtree(media, ignore_errors=True))
    run.tenant_id = None
    routing.forget(*hosts)
    return _("Schema %(schema)s dropped, the tenant's rows deleted; the deletion is recorded.") % {
        "schema": schema
    }


def actor_text(actor: Actor) -> str:
    """Who acted, as the audit trail names actors: kind and user id, or the system job."""
    if actor.is_system:
        return f"system:{actor.job}"
    return f"{actor.kind.value}:{actor.user_id}"


STEPS = [
    Step("close", close_portal),
    Step("export", write_export),
    Step("terraform", destroy_terraform),
    Step("purge", purge),
]
