"""`portalwerk tenants export|import`, run as an operator runs them (a real process against the
test database): a round trip, and every kind of bad archive refused with one line, exit code 2
and nothing left behind (no tenant row, no schema, no files)."""

from __future__ import annotations

import hashlib
import json
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.authz.actors import system
from portalwerk.tenants import services
from portalwerk.tenants.archive import export
from portalwerk.tenants.models import Tenant

CLI = str(Path(sys.executable).with_name("portalwerk"))
NEW = "archiv-neu"


def run(*args: str, media: Path) -> subprocess.CompletedProcess:
    settings = connection.settings_dict
    url = (
        f"postgresql://{settings['USER']}:{settings['PASSWORD']}@/{settings['NAME']}"
        f"?host={settings['HOST']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "LANG": "en_GB.UTF-8",
        "LC_ALL": "",
        "LC_MESSAGES": "",
        "PORTALWERK_MEDIA_ROOT": str(media),
    }
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def media(live_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield settings.MEDIA_ROOT
    for slug in (NEW, "archiv-quelle"):
        if Tenant.objects.filter(slug=slug).exists():
            services.delete_tenant(actor=system("test"), slug=slug)


def test_an_operator_exports_a_tenant_and_imports_it_under_a_new_slug(media, tmp_path):
    # given a tenant with a person and a file
    source = services.create_tenant(
        actor=system("test"),
        data=services.NewTenant(name="Gemeinde Quelle", slug="archiv-quelle", kind="association"),
    )
    with schema_context(source.schema_name):
        User.objects.create_user("clerk@quelle.example", "pw-Quelle-2026!", role=Role.CLERK_READER)
    stored = media / source.schema_name / "uploads" / "abc123"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"%PDF-1.4 a file")
    archive = tmp_path / "quelle.zip"
    # when the operator exports it and imports the archive as a new tenant
    exported = run("tenants", "export", "archiv-quelle", "--out", str(archive), media=media)
    assert exported.returncode == 0, exported.stderr
    assert str(archive) in exported.stdout and archive.is_file()
    imported = run("tenants", "import", str(archive), "--slug", NEW, media=media)
    # then the new tenant holds the person and the file, and both exports are in the logs
    assert imported.returncode == 0, imported.stderr
    assert "Gemeinde Quelle (archiv-neu)" in imported.stdout
    tenant = Tenant.objects.get(slug=NEW)
    assert tenant.kind == "association"
    with schema_context(tenant.schema_name):
        assert User.objects.get().email == "clerk@quelle.example"
        from portalwerk.platform.audit.models import Entry

        actions = set(Entry.objects.values_list("action", flat=True))
        assert {"tenant.exported", "tenant.imported"} <= actions
    assert (media / tenant.schema_name / "uploads" / "abc123").read_bytes() == b"%PDF-1.4 a file"


def _members(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as opened:
        return {name: opened.read(name) for name in opened.namelist()}


def _write(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return path


def _rewritten(archive: Path, change) -> Path:
    """The archive with `change(members, manifest)` applied and the manifest written back."""
    members = _members(archive)
    manifest = json.loads(members.pop("manifest.json"))
    change(members, manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    return _write(archive.with_name("changed.zip"), members)


def _relist(members, manifest, name):
    manifest["files"][name] = {
        "sha256": hashlib.sha256(members[name]).hexdigest(),
        "size": len(members[name]),
    }


def truncated(archive):
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    return archive


def bit_rot(archive):
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as opened:
        info = opened.getinfo(next(n for n in opened.namelist() if n.endswith("Form.jsonl")))
    start = info.header_offset
    name_length, extra_length = struct.unpack("<HH", data[start + 26 : start + 30])
    data[start + 30 + name_length + extra_length + info.compress_size // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    return archive


def changed_member(archive):
    def change(members, manifest):
        name = next(n for n in members if n.endswith("accounts.User.jsonl"))
        members[name] += b'{"model": "accounts.user", "pk": 999, "fields": {}}\n'

    return _rewritten(archive, change)


def newer_format(archive):
    return _rewritten(archive, lambda m, manifest: manifest.update(format_version=2))


def newer_migrations(archive):
    return _rewritten(
        archive, lambda m, manifest: manifest["migrations"].append("forms.9999_from_the_future")
    )


def older_migrations(archive):
    return _rewritten(
        archive, lambda m, manifest: manifest["migrations"].remove("forms.0001_initial")
    )


def unlisted_file(archive):
    return _rewritten(archive, lambda members, m: members.update({"media/extra.pdf": b"%PDF"}))


def missing_file(archive):
    def change(members, manifest):
        members.pop(next(n for n in members if n.endswith("forms.Form.jsonl")))

    return _rewritten(archive, change)


def wrong_count(archive):
    def change(members, manifest):
        manifest["kinds"]["users"]["accounts.User"] += 1

    return _rewritten(archive, change)


def dangling_row(archive):
    # a row that points at a submission the archive does not hold, with a matching SHA-256
    def change(members, manifest):
        name = "data/submissions/forms.Receipt.jsonl"
        members[name] += (
            b'{"model": "forms.receipt", "pk": 7, "fields": {"submission": 4711, '
            b'"language": "de", "sha256": "00", "created_at": "2026-01-01T00:00:00+00:00"}}\n'
        )
        _relist(members, manifest, name)
        manifest["kinds"]["submissions"]["forms.Receipt"] += 1

    return _rewritten(archive, change)


def unsafe_name(archive):
    def change(members, manifest):
        members["media/../../escaped.txt"] = b"x"
        _relist(members, manifest, "media/../../escaped.txt")

    return _rewritten(archive, change)


def not_a_zip(archive):
    archive.write_text("name,email\n")
    return archive


def no_manifest(archive):
    members = _members(archive)
    members.pop("manifest.json")
    return _write(archive.with_name("bare.zip"), members)


@pytest.mark.parametrize(
    ("spoil", "says"),
    [
        (truncated, "damaged or incomplete"),
        (bit_rot, "damaged or incomplete"),
        (changed_member, "does not match its SHA-256"),
        (newer_format, "format version 2"),
        (newer_migrations, "forms.9999_from_the_future"),
        (older_migrations, "made before migration forms.0001_initial"),
        (unlisted_file, "media/extra.pdf is not in the manifest"),
        (missing_file, "missing data/forms/forms.Form.jsonl"),
        (wrong_count, "the manifest says"),
        (dangling_row, "damaged or incomplete"),
        (unsafe_name, "unsafe name"),
        (not_a_zip, "not a readable ZIP file"),
        (no_manifest, "no manifest.json"),
    ],
)
def test_a_bad_archive_is_refused_with_one_line_and_leaves_nothing_behind(
    spoil, says, media, tmp_path, tenant_b
):
    # given a good archive of beta, spoilt
    archive = tmp_path / "beta.zip"
    export.write_archive(tenant_b, archive)
    spoilt = spoil(archive)
    # when the operator imports it
    done = run("tenants", "import", str(spoilt), "--slug", NEW, media=media)
    # then one line says what is wrong, with exit code 2
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith("portalwerk: error: ")
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert says in done.stderr
    # and nothing of a tenant is left: no row, no schema, no files
    assert not Tenant.objects.filter(slug=NEW).exists()
    assert not schema_exists("t_archiv_neu")
    assert not (media / "t_archiv_neu").exists()
    assert not (tmp_path / "escaped.txt").exists()


def test_an_archive_is_not_imported_over_an_existing_tenant(media, tmp_path, tenant_b):
    # given a good archive
    archive = tmp_path / "beta.zip"
    export.write_archive(tenant_b, archive)
    before = Tenant.objects.count()
    # when it is imported under the slug of a tenant that exists
    done = run("tenants", "import", str(archive), "--slug", "alpha", media=media)
    # then it is refused in one line, and alpha is as it was
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "portalwerk: error: A tenant with the slug 'alpha' exists already."
    ]
    assert Tenant.objects.count() == before
    with schema_context("t_alpha"):
        assert not User.objects.filter(email__endswith="@beta.example").exists()


def test_an_export_to_a_folder_that_is_not_there_is_one_line(media, tmp_path):
    done = run(
        "tenants", "export", "beta", "--out", str(tmp_path / "nowhere" / "b.zip"), media=media
    )
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("portalwerk: error: Cannot write ") and "nowhere" in line
    assert not (tmp_path / "nowhere").exists()
