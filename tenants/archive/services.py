"""What the CLI and the back office call: each export is audited before its snapshot is taken
(so the archive holds the entry that says who made it); imports are audited by `importing`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.authz.capabilities import Capability, require
from portalwerk.tenants import services
from portalwerk.tenants.archive import export, importing
from portalwerk.tenants.archive.errors import ArchiveErrorCode as Code
from portalwerk.tenants.models import Tenant


def export_tenant(*, actor: Actor, slug: str, path: Path | None = None) -> tuple[Path, int]:
    """The operator's export (CLI): the whole archive, password hashes included, written to
    `path` (default: `<slug>-<date>.zip` in the working folder). Returns the path and size."""
    tenant = services.get_tenant(slug)
    path = Path(path) if path else Path.cwd() / export.archive_name(tenant)
    with transaction.atomic():
        record(actor, Action.TENANT_EXPORTED, tenant, passwords=True)
        with schema_context(tenant.schema_name):
            record(actor, Action.TENANT_EXPORTED, tenant, passwords=True)
    try:
        return path, export.write_archive(tenant, path, passwords=True)
    except OSError as exc:
        raise Code.CANNOT_WRITE.error(
            _("Cannot write %(path)s: %(error)s.") % {"path": path, "error": exc.strerror}
        ) from None


def download_export(*, actor: Actor, tenant: Tenant) -> Iterator[bytes]:
    """The tenant admin's download (back office, in the tenant's schema): the same archive but
    without the password hashes, which no person should carry away. Audited in the tenant's log
    before the first byte; the bytes come as the browser takes them."""
    require(actor, Capability.EXPORT_TENANT)
    record(actor, Action.TENANT_EXPORTED, tenant, passwords=False)
    return export.archive_chunks(tenant, passwords=False)


def import_tenant(
    *, actor: Actor, archive: Path, slug: str, name: str = "", unlink_identities: bool = False
) -> Tenant:
    return importing.import_archive(
        Path(archive), actor=actor, slug=slug, name=name, unlink_identities=unlink_identities
    )
