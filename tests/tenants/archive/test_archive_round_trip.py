"""A tenant with data in every kind, exported and imported under a new slug: every row (ids
included) and every file comes back equal, and the import says where it came from."""

from __future__ import annotations

import zipfile

import pytest
from django.contrib.auth.hashers import check_password
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import User
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import system
from portalwerk.tenants.archive import export, importing, kinds
from portalwerk.tenants.archive.manifest import Manifest
from portalwerk.tenants.models import Tenant
from tests.tenants.archive.archive_data import PASSWORD, empty_kinds, files, fill_every_kind, rows


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_every_row_and_every_file_survives_the_round_trip(tenant_a, media, tmp_path):
    # given alpha with rows of every kind, uploads and receipts among them
    made = fill_every_kind(tenant_a)
    assert empty_kinds(tenant_a.schema_name) == []
    before, before_files = rows(tenant_a.schema_name), files(tenant_a.schema_name)
    assert any(name.startswith("uploads/") for name in before_files)
    # when it is exported and imported as a new tenant
    archive = tmp_path / "alpha.zip"
    export.write_archive(tenant_a, archive)
    imported = importing.import_archive(
        archive, actor=system("tests"), slug="alpha-copy", name="Stadt Alpha (Kopie)"
    )
    # then the new tenant is active, of alpha's kind, and every row is alpha's, ids included
    tenant = Tenant.objects.get(slug="alpha-copy")
    assert (tenant.name, tenant.kind, tenant.status) == (
        "Stadt Alpha (Kopie)",
        "municipality",
        "active",
    )
    assert imported.schema_name == "t_alpha_copy"
    after = rows(imported.schema_name)
    # ...but for the entry the import wrote into the new tenant's own log
    (note,) = [e for e in after["audit.Entry"] if e["action"] == "tenant.imported"]
    after["audit.Entry"].remove(note)
    assert note["detail"]["source"] == "alpha"
    for label in before:
        assert after[label] == before[label], label
    # and every file is there with the same bytes, under the new schema's folder
    assert files(imported.schema_name) == before_files
    with schema_context(imported.schema_name):
        # people sign in with their passwords; receipts are the same PDF bytes
        clerk = User.objects.get(email=made["clerk"].email)
        assert check_password(PASSWORD, clerk.password)
        assert clerk.groups.get().permissions.count() == 2
        # new rows get fresh ids after the imported ones (sequences reset)
        newer = Entry.objects.create(actor_kind="system", action="tenant.exported")
        assert newer.pk > max(e["id"] for e in before["audit.Entry"])


def test_the_archive_is_a_documented_zip_with_a_manifest_of_every_file(tenant_a, media, tmp_path):
    # given alpha with data, exported
    fill_every_kind(tenant_a)
    archive = tmp_path / "alpha.zip"
    export.write_archive(tenant_a, archive)
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
        manifest = Manifest.parse(opened.read("manifest.json"))
        # then every member but the manifest is listed in it, with its SHA-256
        assert set(names) - {"manifest.json"} == set(manifest.files)
        first = next(n for n in names if n.startswith("data/submissions/"))
        import hashlib

        assert manifest.files[first]["sha256"] == hashlib.sha256(opened.read(first)).hexdigest()
    # with the tenant, the format, the migration state and counts of every kind
    assert manifest.tenant["slug"] == "alpha" and manifest.format_version == 1
    assert "forms.0001_initial" in manifest.migrations
    assert set(manifest.kinds) == set(kinds.KINDS)
    assert manifest.kinds["submissions"]["forms.Submission"] == 2
    assert manifest.kinds["submissions"]["forms.Receipt"] == 2
    assert any(n.startswith("blobs/forms.Receipt/pdf/") for n in names)
    assert any(n.startswith("media/uploads/") for n in names)
    assert "sessions.Session" in manifest.not_exported


def test_without_passwords_every_account_comes_back_without_a_usable_password(
    tenant_a, media, tmp_path
):
    # given an archive made without the password hashes (the back office's), of a tenant whose
    # clerk signs in through Keycloak
    made = fill_every_kind(tenant_a)
    with schema_context(tenant_a.schema_name):
        User.objects.filter(pk=made["clerk"].pk).update(
            identity_provider="keycloak", external_id="kc-subject-1"
        )
    archive = tmp_path / "alpha.zip"
    with archive.open("wb") as out:
        for chunk in export.archive_chunks(tenant_a, passwords=False):
            out.write(chunk)
    # when it is imported into another installation's realm
    imported = importing.import_archive(
        archive, actor=system("tests"), slug="alpha-copy", unlink_identities=True
    )
    # then the people are there, but nobody signs in with the old password or the old link
    with schema_context(imported.schema_name):
        clerk = User.objects.get(email=made["clerk"].email)
        assert not clerk.has_usable_password()
        assert (clerk.identity_provider, clerk.external_id) == ("keycloak", "")
        assert not User.objects.filter(password__startswith="argon2").exists()
