"""Restoring an archive into a new tenant: verify everything first (format, member list, every
SHA-256 and size, every count), then, in one transaction, create the tenant through the tenant
services (schema cloned from the template), replace the clone's rows with the archive's, put
the binary columns back, reset the sequences and restore the files. Anything that goes wrong
rolls the whole transaction back and removes the files written so far: no half-made tenant."""

from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import Actor
from portalwerk.tenants import services
from portalwerk.tenants.archive import kinds, serialization
from portalwerk.tenants.archive.errors import ArchiveErrorCode as Code
from portalwerk.tenants.archive.export import applied_migrations
from portalwerk.tenants.archive.manifest import NAME, Manifest
from portalwerk.tenants.models import Tenant

BLOCK = 1 << 20
INSERT_BATCH = 500


def _damaged(detail: str):
    return Code.DAMAGED.error(
        _("The archive is damaged or incomplete (%(detail)s); nothing was imported.")
        % {"detail": detail}
    )


def open_archive(path: Path) -> zipfile.ZipFile:
    if not Path(path).is_file():
        raise Code.NOT_AN_ARCHIVE.error(_("There is no file %(path)s.") % {"path": path})
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise _damaged(_("not a readable ZIP file")) from None


def read_manifest(archive: zipfile.ZipFile) -> Manifest:
    try:
        raw = archive.read(NAME)
    except KeyError:
        raise Code.NOT_AN_ARCHIVE.error(
            _("The file has no manifest.json: it is not a Portalwerk tenant archive.")
        ) from None
    except (zipfile.BadZipFile, OSError, EOFError):
        raise _damaged(NAME) from None
    return Manifest.parse(raw)


def _safe(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or not path.parts:
        raise Code.UNSAFE_NAME.error(
            _("The archive holds a file with an unsafe name: %(name)s.") % {"name": name}
        )
    return path


def verify(archive: zipfile.ZipFile, manifest: Manifest) -> None:
    """Every member listed and no other, each with its SHA-256 and size, each data file with
    the rows the manifest counts. Raises the first problem found."""
    present = [info.filename for info in archive.infolist() if not info.is_dir()]
    for name in present:
        _safe(name)
    present_set = set(present) - {NAME}
    if len(present_set) != len(present) - 1:
        raise _damaged(_("a file appears twice"))
    missing = sorted(set(manifest.files) - present_set)
    if missing:
        raise _damaged(_("missing %(name)s") % {"name": missing[0]})
    extra = sorted(present_set - set(manifest.files))
    if extra:
        raise _damaged(_("%(name)s is not in the manifest") % {"name": extra[0]})
    expected_rows = {
        f"data/{kind}/{label}.jsonl": count
        for kind, labels in manifest.kinds.items()
        for label, count in labels.items()
    }
    if set(expected_rows) != {n for n in present_set if n.startswith("data/")}:
        raise _damaged(_("the data files do not match the counts"))
    for name, facts in sorted(manifest.files.items()):
        digest, size, lines = hashlib.sha256(), 0, 0
        try:
            with archive.open(name) as member:
                while block := member.read(BLOCK):
                    digest.update(block)
                    size += len(block)
                    lines += block.count(b"\n")
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
            raise _damaged(name) from None
        if digest.hexdigest() != facts.get("sha256") or size != facts.get("size"):
            raise _damaged(_("%(name)s does not match its SHA-256") % {"name": name})
        if name in expected_rows and lines != expected_rows[name]:
            raise _damaged(
                _("%(name)s holds %(found)s rows, the manifest says %(count)s")
                % {"name": name, "found": lines, "count": expected_rows[name]}
            )


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        raise Code.MIGRATIONS_DIFFER.error(
            _("The archive holds %(label)s, which this installation does not have.")
            % {"label": label}
        ) from None


def _check_migrations(manifest: Manifest) -> None:
    here = set(applied_migrations())
    theirs = set(manifest.migrations)
    if theirs - here:
        raise Code.MIGRATIONS_DIFFER.error(
            _(
                "The archive was made by a newer Portalwerk (migration %(name)s is unknown "
                "here); upgrade this installation first."
            )
            % {"name": sorted(theirs - here)[0]}
        )
    if here - theirs:
        raise Code.MIGRATIONS_DIFFER.error(
            _(
                "The archive was made before migration %(name)s; import it with the "
                "Portalwerk version that made it (%(version)s), then upgrade."
            )
            % {"name": sorted(here - theirs)[0], "version": manifest.portalwerk_version}
        )


def _clear(schema: str, models) -> None:
    """The clone brings the template's rows; the archive's replace those of every kind."""
    quote = connection.ops.quote_name
    tables = ", ".join(f"{quote(schema)}.{quote(m._meta.db_table)}" for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} CASCADE")


def _load_rows(archive: zipfile.ZipFile, manifest: Manifest) -> list:
    loaded = []
    for kind, labels in manifest.kinds.items():
        for label in labels:
            model = _model(label)
            loaded.append(model)
            name = f"data/{kind}/{label}.jsonl"
            with archive.open(name) as raw:
                lines = io.TextIOWrapper(raw, encoding="utf-8")
                try:
                    batch = []
                    for row in serialization.deserialize(lines):
                        batch.append(row.object)
                        if len(batch) == INSERT_BATCH:
                            _insert(model, batch)
                    _insert(model, batch)
                except (DeserializationError, DatabaseError) as exc:
                    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                    raise _damaged(f"{name}: {first}") from None
    return loaded


def _insert(model, batch: list) -> None:
    """One INSERT for the batch, the values as they are: `raw=True` is what `Model.save_base`
    passes for fixtures, so `auto_now` fields keep the archive's times (`bulk_create` would
    stamp them with now). A row at a time would cost a round trip each."""
    if batch:
        fields = model._meta.local_concrete_fields
        model._base_manager._insert(batch, fields=fields, raw=True, using=connection.alias)
        batch.clear()


def _load_blobs(archive: zipfile.ZipFile, manifest: Manifest) -> None:
    for name in manifest.files:
        if not name.startswith("blobs/"):
            continue
        _prefix, label, field, pk = name.split("/", 3)
        model = _model(label)
        key = model._meta.pk.to_python(pk)
        model._base_manager.filter(pk=key).update(**{field: archive.read(name)})


def _check_references() -> None:
    """Foreign keys are checked at commit (Django makes them DEFERRABLE INITIALLY DEFERRED,
    which is also why the load order does not matter); checked here, a row pointing nowhere
    is the archive's fault and says so."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    except DatabaseError as exc:
        raise _damaged(str(exc).strip().splitlines()[0]) from None


def _reset_sequences(models) -> None:
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def _restore_media(archive: zipfile.ZipFile, manifest: Manifest, root: Path, written: list):
    if root.is_dir() and any(p.is_file() for p in root.rglob("*")):
        raise Code.MEDIA_EXISTS.error(
            _("The folder %(path)s holds files already; move them away first.") % {"path": root}
        )
    for name in sorted(manifest.files):
        if not name.startswith("media/"):
            continue
        target = root.joinpath(*_safe(name).parts[1:])
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(name) as source, target.open("xb") as out:
                written.append(target)
                shutil.copyfileobj(source, out, BLOCK)
        except OSError as exc:
            raise Code.CANNOT_WRITE.error(
                _("Cannot write %(path)s: %(error)s.") % {"path": target, "error": exc.strerror}
            ) from None


def import_archive(
    path: Path, *, actor: Actor, slug: str, name: str = "", unlink_identities: bool = False
) -> Tenant:
    """A new tenant `slug` (named `name`, or as in the archive) holding the archive's rows and
    files. `unlink_identities` clears every account's link to its identity provider (another
    installation's realm: the next single sign-on links the account again by its address).
    Raises a ValidationError with a code for every problem of the archive or the slug."""
    with open_archive(path) as archive:
        manifest = read_manifest(archive)
        verify(archive, manifest)
        written: list[Path] = []
        try:
            with transaction.atomic():
                tenant = services.create_tenant(
                    actor=actor,
                    data=services.NewTenant(
                        name=(name or manifest.tenant.get("name") or "").strip(),
                        slug=slug,
                        kind=manifest.tenant.get("kind", ""),
                        modules=manifest.tenant.get("modules"),
                    ),
                )
                with schema_context(tenant.schema_name):
                    _check_migrations(manifest)
                    exported = [model for _kind, model in kinds.exported()]
                    _clear(tenant.schema_name, exported)
                    loaded = _load_rows(archive, manifest)
                    _load_blobs(archive, manifest)
                    _check_references()
                    if unlink_identities:
                        get_user_model()._base_manager.exclude(external_id="").update(
                            external_id=""
                        )
                    _reset_sequences(loaded)
                    root = Path(settings.MEDIA_ROOT) / tenant.schema_name
                    _restore_media(archive, manifest, root, written)
                    facts = {"source": manifest.tenant.get("slug", ""), "rows": _rows(manifest)}
                    record(actor, Action.TENANT_IMPORTED, tenant, **facts)
                record(actor, Action.TENANT_IMPORTED, tenant, **facts)
        except BaseException:
            for target in reversed(written):
                target.unlink(missing_ok=True)
                _prune(target.parent, Path(settings.MEDIA_ROOT))
            raise
    return tenant


def _prune(folder: Path, top: Path) -> None:
    """Remove the folders an import made and left empty, up to MEDIA_ROOT."""
    while folder != top and top in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _rows(manifest: Manifest) -> int:
    return sum(manifest.counts().values())
