"""The export reads one snapshot (REPEATABLE READ) and locks only the tenant's own tables, while
another connection goes on writing; its bytes come out chunk by chunk as rows are read."""

from __future__ import annotations

import io
import json
import uuid
import zipfile

import psycopg
import pytest
from django.db import connection
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import User
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import system
from portalwerk.platform.catalog.models import Category
from portalwerk.tenants import services
from portalwerk.tenants.archive import export

SLUG = "archiv-schnapp"


@pytest.fixture
def tenant(live_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    made = services.create_tenant(
        actor=system("test"),
        data=services.NewTenant(name="Gemeinde Schnapp", slug=SLUG, kind="municipality"),
    )
    yield made
    services.delete_tenant(actor=system("test"), slug=SLUG)


def _other_connection():
    s = connection.settings_dict
    return psycopg.connect(
        dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"], host=s["HOST"], autocommit=True
    )


def _locked_schemas(other, pid: int) -> set[str]:
    rows = other.execute(
        "SELECT DISTINCT n.nspname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE l.pid = %s",
        [pid],
    ).fetchall()
    return {name for (name,) in rows}


def test_the_export_is_one_snapshot_of_this_tenants_tables_only(tenant, monkeypatch):
    # given a tenant with catalogue rows and people, exported in small chunks
    monkeypatch.setattr(export, "CHUNK_ROWS", 2)
    with schema_context(tenant.schema_name):
        for n in range(5):
            Category.objects.create(slug=f"c{n}", name_de=f"Kategorie {n}", position=n)
        User.objects.create_user("before@schnapp.example")
    chunks = export.archive_chunks(tenant)
    first = next(chunks)
    pid = connection.connection.info.backend_pid
    with _other_connection() as other:
        # when someone signs up through another connection while the export runs
        other.execute(
            f"INSERT INTO {tenant.schema_name}.accounts_user (password, email, full_name, role, "
            "identity_provider, external_id, language, street, house_number, postcode, city, "
            "is_active, is_superuser, date_joined) VALUES ('!', 'during@schnapp.example', '', "
            "'citizen', 'local', '', 'de', '', '', '', '', true, false, now())"
        )
        # then the export goes on, holding locks in the tenant's schema only
        locked: set[str] = set()
        rest = []
        for chunk in chunks:
            locked |= _locked_schemas(other, pid)
            rest.append(chunk)
    assert locked <= {tenant.schema_name, "pg_catalog"}
    assert tenant.schema_name in locked
    # and the archive shows the tenant as it was when the export began
    with zipfile.ZipFile(io.BytesIO(first + b"".join(rest))) as archive:
        users = archive.read("data/users/accounts.User.jsonl").decode().splitlines()
        manifest = json.loads(archive.read("manifest.json"))
    assert [json.loads(line)["fields"]["email"] for line in users] == ["before@schnapp.example"]
    assert manifest["kinds"]["users"]["accounts.User"] == 1
    assert manifest["kinds"]["catalogue"]["catalog.Category"] == 5
    with schema_context(tenant.schema_name):
        assert User.objects.filter(email="during@schnapp.example").exists()


def test_the_archive_comes_out_in_chunks_no_larger_than_a_chunk_of_rows(tenant, monkeypatch):
    # given a tenant with many audit entries (hard to compress: each has its own request id)
    with schema_context(tenant.schema_name):
        Entry.objects.bulk_create(
            Entry(actor_kind="system", action="tenant.exported", request_id=uuid.uuid4().hex)
            for _ in range(6000)
        )
    # when it is exported in chunks of 500 rows
    monkeypatch.setattr(export, "CHUNK_ROWS", 500)
    sizes = [len(chunk) for chunk in export.archive_chunks(tenant)]
    # then the bytes come in many pieces, none near the whole
    assert len(sizes) >= 5
    assert max(sizes) < sum(sizes) / 4
