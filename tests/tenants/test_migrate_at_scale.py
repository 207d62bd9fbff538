"""What `tenants migrate` costs the database as schemas accumulate: the check of which schemas
are behind holds a bounded number of locks per statement, and neither the check nor applying a
missing migration reads the whole catalogue (Django's table list scans every row of pg_class
through `pg_table_is_visible`: 1.67 M rows at 5,000 tenants)."""

from __future__ import annotations

import contextlib
import math

import pytest
from django.db import connection, transaction

from portalwerk.tenants import schemas
from tests.perf.scale_tenants import add_cheap_tenants, remove_cheap_tenants

PREFIX = "lockcheck"
CATALOGUE_SCANS = ("pg_table_is_visible", "information_schema")


@pytest.fixture
def forty_tenants(live_db):
    made = add_cheap_tenants(PREFIX, 40)
    yield made
    remove_cheap_tenants(PREFIX)


@contextlib.contextmanager
def statements():
    seen: list[str] = []

    def note(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        yield seen


def _sql(schema: str, statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET search_path TO {schema}")
        cursor.execute(statement)
        cursor.execute("SET search_path TO public")


def test_the_check_locks_a_bounded_number_of_relations_per_statement(forty_tenants, monkeypatch):
    # given more schemas than one statement of the check reads (10 here), one of them behind
    monkeypatch.setattr(schemas, "CHECK_BATCH", 10)
    everyone = [schemas.TEMPLATE_SCHEMA, *schemas.tenant_schemas()]
    assert len(everyone) > 40
    _sql(forty_tenants[3], "DELETE FROM django_migrations WHERE app = 'admin'")
    # when the check runs, each of its statements held in a transaction of its own until the
    # locks it took are counted
    held: list[int] = []

    def count_locks(execute, sql, params, many, context):
        if "django_migrations" not in sql:
            return execute(sql, params, many, context)
        with transaction.atomic():
            result = execute(sql, params, many, context)
            with connection.connection.cursor() as raw:
                raw.execute(
                    "SELECT count(*) FROM pg_locks "
                    "WHERE pid = pg_backend_pid() AND locktype = 'relation'"
                )
                held.append(raw.fetchone()[0])
        return result

    with connection.execute_wrapper(count_locks):
        behind = schemas.schemas_behind(everyone)
    # then it found the schema behind, and no statement held more than two relations (a
    # django_migrations table and its key) per schema it read, plus its own handful
    assert behind == [forty_tenants[3]]
    reads = held[1:]  # the first finds the schemas that have the table
    assert len(reads) == math.ceil(len(everyone) / 10)
    assert max(held) <= 2 * 10 + 5


def test_a_missing_migration_is_applied_without_reading_the_whole_catalogue(forty_tenants):
    # given two schemas behind: the admin app's table and its records gone
    ours, djangos = forty_tenants[0], forty_tenants[1]
    for schema in (ours, djangos):
        _sql(schema, "DROP TABLE django_admin_log")
        _sql(schema, "DELETE FROM django_migrations WHERE app = 'admin'")
    # when one is migrated as `tenants migrate` does, the other with Django's migrate command
    with statements() as fast:
        assert schemas._migrate_one(ours) == (ours, None)
    with statements() as slow:
        schemas.migrate_schema(djangos)
    # then both have the table again and nothing is behind
    with connection.cursor() as cursor:
        for schema in (ours, djangos):
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"{schema}.django_admin_log"])
            assert cursor.fetchone()[0]
    assert schemas.schemas_behind([ours, djangos]) == []
    # but only Django's command listed every table of the catalogue to get there
    assert [s for s in fast if any(scan in s for scan in CATALOGUE_SCANS)] == []
    assert [s for s in slow if "pg_table_is_visible" in s]


def test_the_check_with_nothing_to_do_reads_no_whole_catalogue(live_db):
    # given every schema up to date, when the operator's migrate runs
    with statements() as seen:
        report = schemas.migrate_all()
    # then it checked every schema, migrated none, and never listed the catalogue's tables
    assert report.checked >= 4 and report.migrated == [] and report.failed == {}
    assert [s for s in seen if any(scan in s for scan in CATALOGUE_SCANS)] == []


def test_a_tenants_export_reads_no_whole_catalogue(live_db, settings, tmp_path):
    from portalwerk.tenants.archive import export
    from portalwerk.tenants.models import Tenant

    # given a tenant among others, when its archive is written
    settings.MEDIA_ROOT = tmp_path
    tenant = Tenant.objects.get(slug="alpha")
    with statements() as seen:
        archive = b"".join(export.archive_chunks(tenant))
    # then it read the tenant's tables by name and never listed the catalogue
    assert archive.startswith(b"PK")
    assert any("accounts_user" in s for s in seen)
    assert [s for s in seen if any(scan in s for scan in CATALOGUE_SCANS + ("pg_class",))] == []
