"""Writing a tenant's archive as a stream of bytes: one REPEATABLE READ, read-only transaction
in the tenant's schema (every table read from one snapshot, and only this tenant's tables are
touched), rows fetched in chunks by primary key and compressed as they come, so a tenant of any
size costs the memory of one chunk. The ZIP is written for an unseekable stream (data
descriptors), so the same chunks go to a file or straight into an HTTP response."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from portalwerk.tenants.archive import kinds, serialization
from portalwerk.tenants.archive.manifest import NAME, Manifest
from portalwerk.tenants.models import Tenant

CHUNK_ROWS = 1000
FILE_CHUNK = 1 << 20


class _Sink:
    """Where the ZIP writer writes: bytes collected until the next chunk is handed out."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


class _Writer:
    def __init__(self, archive: zipfile.ZipFile, sink: _Sink, manifest: Manifest, stamp):
        self.archive, self.sink, self.manifest, self.stamp = archive, sink, manifest, stamp

    @contextlib.contextmanager
    def member(self, name: str, *, compress: bool):
        info = zipfile.ZipInfo(name, date_time=self.stamp)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        digest, size = hashlib.sha256(), 0
        with self.archive.open(info, "w", force_zip64=True) as handle:

            def write(data: bytes) -> None:
                nonlocal size
                digest.update(data)
                size += len(data)
                handle.write(data)

            yield write
        self.manifest.files[name] = {"sha256": digest.hexdigest(), "size": size}

    def chunks(self) -> Iterator[bytes]:
        data = self.sink.take()
        if data:
            yield data

    def rows(self, kind: str, model) -> Iterator[bytes]:
        label = model._meta.label
        count = 0
        with self.member(f"data/{kind}/{label}.jsonl", compress=True) as write:
            for chunk in _chunks(model._base_manager.order_by("pk")):
                text = io.StringIO()
                serialization.serialize(chunk, text, passwords=self.manifest.passwords)
                write(text.getvalue().encode())
                count += len(chunk)
                yield from self.chunks()
        self.manifest.kinds.setdefault(kind, {})[label] = count
        for field in serialization.binary_fields(model):
            yield from self.blobs(model, field)

    def blobs(self, model, field: str) -> Iterator[bytes]:
        rows = model._base_manager.exclude(**{f"{field}__isnull": True})
        for chunk in _chunks(rows.order_by("pk").values_list("pk", field), key=0):
            for pk, value in chunk:
                name = f"blobs/{model._meta.label}/{field}/{pk}"
                with self.member(name, compress=False) as write:
                    write(bytes(value))
            yield from self.chunks()

    def media(self, root: Path) -> Iterator[bytes]:
        if not root.is_dir():
            return
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = "media/" + path.relative_to(root).as_posix()
            with self.member(name, compress=False) as write, path.open("rb") as source:
                while block := source.read(FILE_CHUNK):
                    write(block)
                    yield from self.chunks()


def _chunks(queryset, *, key: str | int = "pk") -> Iterator[list]:
    """The queryset (ordered by pk) in lists of CHUNK_ROWS, each fetched after the last one's
    key: no server-side cursor to keep open between the chunks handed out."""
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        rows = list(page[:CHUNK_ROWS])
        if not rows:
            return
        yield rows
        last = rows[-1][key] if isinstance(key, int) else rows[-1].pk
        if len(rows) < CHUNK_ROWS:
            return


@contextlib.contextmanager
def snapshot():
    """One consistent snapshot for every table: REPEATABLE READ, read only. Inside a
    transaction the caller opened (a test's), the archive reads in that one."""
    if connection.in_atomic_block:
        with transaction.atomic():
            yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def tenant_facts(tenant: Tenant) -> dict:
    return {
        "slug": tenant.slug,
        "name": tenant.name,
        "kind": tenant.kind,
        "official_key": tenant.official_key,
        "parent": tenant.parent.slug if tenant.parent_id else None,
        "modules": list(tenant.modules),
        "allowed_modules": list(tenant.allowed_modules),
        "mail_from": tenant.mail_from,
        "schema": tenant.schema_name,
    }


def applied_migrations() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app || '.' || name FROM django_migrations ORDER BY app, name")
        return [row[0] for row in cursor.fetchall()]


def archive_chunks(tenant: Tenant, *, passwords: bool = True) -> Iterator[bytes]:
    """The archive of `tenant`, as chunks of bytes. `passwords=False` leaves the password
    hashes out (each account's password is then unusable after an import)."""
    sink = _Sink()
    created = timezone.now().replace(microsecond=0)
    stamp = created.astimezone(dt.UTC).timetuple()[:6]
    facts = tenant_facts(tenant)  # public rows, read before the snapshot of the tenant's own
    with schema_context(tenant.schema_name), snapshot():
        manifest = Manifest(
            created_at=created.isoformat(),
            tenant=facts,
            migrations=applied_migrations(),
            passwords=passwords,
            not_exported=dict(kinds.NOT_EXPORTED),
        )
        with zipfile.ZipFile(sink, "w", allowZip64=True) as archive:
            writer = _Writer(archive, sink, manifest, stamp)
            for kind, model in kinds.exported():
                yield from writer.rows(kind, model)
            yield from writer.media(Path(settings.MEDIA_ROOT) / tenant.schema_name)
            info = zipfile.ZipInfo(NAME, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, manifest.to_json())
        yield from writer.chunks()


def archive_name(tenant: Tenant) -> str:
    return f"{tenant.slug}-{timezone.localdate().isoformat()}.zip"


def write_archive(tenant: Tenant, path: Path, *, passwords: bool = True) -> int:
    """Write the archive to `path` (through a temporary file beside it, so a failed export
    leaves no half file under that name); its size in bytes."""
    partial = path.with_name(path.name + ".partial")
    size = 0
    try:
        with partial.open("wb") as out:
            for chunk in archive_chunks(tenant, passwords=passwords):
                out.write(chunk)
                size += len(chunk)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return size
