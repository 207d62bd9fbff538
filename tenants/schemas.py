"""Creating tenant schemas (clone of a migrated template) and migrating them in bulk.

django-tenants replays every migration per schema and loads Django's migration graph once per
schema even when nothing is to be done. Here the graph is loaded once, a few statements over the
schemas' `django_migrations` (CHECK_BATCH schemas each) find the schemas that are behind, and
only those are migrated, by `migrating.apply_missing`.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management import call_command
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django_tenants.utils import schema_exists

from portalwerk.tenants import migrating
from portalwerk.tenants.cloning import clone_schema

TEMPLATE_SCHEMA = settings.TENANT_BASE_SCHEMA


def quote(schema: str) -> str:
    return connection.ops.quote_name(schema)


def expected_migrations() -> set[str]:
    return migrating.plan().expected()


def migrate_shared() -> None:
    connection.set_schema_to_public()
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)


def migrate_schema(schema: str) -> None:
    """Bring one tenant (or the template) schema up to date, creating it if missing."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {quote(schema)}")
    connection.set_schema(schema, include_public=False)
    MigrationRecorder(connection).ensure_schema()
    connection.set_schema(schema)
    try:
        call_command(MigrateCommand(), interactive=False, verbosity=0)
    finally:
        connection.set_schema_to_public()


def ensure_template() -> None:
    if not schema_exists(TEMPLATE_SCHEMA) or TEMPLATE_SCHEMA in schemas_behind([TEMPLATE_SCHEMA]):
        migrate_schema(TEMPLATE_SCHEMA)


def create_schema(schema: str) -> None:
    """Clone the template (which carries its django_migrations rows) or, with cloning switched
    off, replay every migration: the slow path the benchmark compares against."""
    connection.set_schema_to_public()
    if settings.TENANT_CREATION_FAKES_MIGRATIONS:
        ensure_template()
        clone_schema(TEMPLATE_SCHEMA, schema)
    else:
        migrate_schema(schema)


# Every query below starts from the source namespace's entries in pg_depend (the same list
# DROP SCHEMA ... CASCADE works from) and follows indexed catalogue columns from there: scanning
# pg_class or pg_constraint by namespace would cost more with every tenant schema.
def drop_schema(schema: str) -> None:
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {quote(schema)} CASCADE")


def tenant_schemas() -> list[str]:
    from portalwerk.tenants.models import Tenant

    return list(
        Tenant.objects.exclude(schema_name="public")
        .order_by("schema_name")
        .values_list("schema_name", flat=True)
    )


# Schemas per statement of the check. A statement reading a schema's django_migrations locks
# that table and its primary key until it ends (AccessShareLock, in the shared lock table), so
# one statement over every schema took 10,015 locks at 5,000 tenants, more than a default
# server has room for; and planning one UNION of thousands of branches grew faster than the
# tenant count (0.05 s at 250, 3.7 s at 5,000).
CHECK_BATCH = 200


def applied_counts(schemas: Iterable[str], expected: set[str]) -> dict[str, int]:
    """How many of `expected` each schema with a django_migrations table has applied, read in
    statements of CHECK_BATCH schemas (each its own transaction outside an atomic block)."""
    schemas = sorted(set(schemas))
    connection.set_schema_to_public()
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        # pg_class is read through its (relname, relnamespace) index: one row per schema
        cursor.execute(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = 'django_migrations' AND c.relkind = 'r' AND n.nspname = ANY(%s)",
            [schemas],
        )
        with_table = sorted(row[0] for row in cursor.fetchall())
        wanted = sorted(expected)
        for start in range(0, len(with_table), CHECK_BATCH):
            batch = with_table[start : start + CHECK_BATCH]
            union = " UNION ALL ".join(
                f"SELECT %s AS s, app, name FROM {quote(s)}.django_migrations" for s in batch
            )
            cursor.execute(
                f"SELECT s, count(*) FROM ({union}) m WHERE app || '.' || name = ANY(%s) "
                "GROUP BY s",
                [*batch, wanted],
            )
            counts.update(cursor.fetchall())
    return counts


def schemas_behind(schemas: Iterable[str], expected: set[str] | None = None) -> list[str]:
    """The schemas among `schemas` missing any migration (or their django_migrations table)."""
    schemas = list(schemas)
    if not schemas:
        return []
    expected = expected if expected is not None else expected_migrations()
    counts = applied_counts(schemas, expected)
    return [s for s in schemas if counts.get(s, 0) < len(expected)]


@dataclass
class MigrationReport:
    checked: int = 0
    migrated: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def _has_migrations_table(schema: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"{quote(schema)}.django_migrations"])
        return cursor.fetchone()[0]


def _migrate_one(schema: str) -> tuple[str, str | None]:
    """Apply what `schema` lacks: Django's migrate only for a schema without any migrations
    table (a new one), the catalogue-friendly path (migrating.apply_missing) for the rest."""
    try:
        if _has_migrations_table(schema):
            migrating.apply_missing(schema)
        else:
            migrate_schema(schema)
    except Exception as exc:  # a failing tenant is reported; the others go on
        connection.set_schema_to_public()
        return schema, f"{type(exc).__name__}: {exc}".splitlines()[0]
    return schema, None


def _migrate_batch(batch: list[str]) -> list[tuple[str, str | None]]:
    return [_migrate_one(schema) for schema in batch]


def _worker_init() -> None:
    connections.close_all()


# Schemas handed to a worker process at a time: large enough to keep the overhead of handing
# out small, small enough that the workers finish together.
MIGRATE_BATCH = 10


def migrate_all(
    *, parallel: int = 1, progress: Callable[[int], Callable[[str], None]] | None = None
) -> MigrationReport:
    """Migrate public (only when it is behind), the template and every tenant schema that is
    behind, `parallel` schemas at a time in worker processes of their own.

    `progress(total)` returns a callback invoked with each finished schema's name.
    """
    expected = expected_migrations()
    if schemas_behind(["public"], expected):
        migrate_shared()
    schemas = [TEMPLATE_SCHEMA, *tenant_schemas()]
    behind = schemas_behind(schemas, expected)
    report = MigrationReport(checked=len(schemas))
    tick = progress(len(behind)) if progress else (lambda _schema: None)
    if parallel <= 1 or len(behind) <= 1:
        for schema in behind:
            _record(report, *_migrate_one(schema))
            tick(schema)
        return report
    # the template first: new tenants are cloned from it while the rest is migrated
    if TEMPLATE_SCHEMA in behind:
        behind.remove(TEMPLATE_SCHEMA)
        _record(report, *_migrate_one(TEMPLATE_SCHEMA))
        tick(TEMPLATE_SCHEMA)
    connections.close_all()  # children must not share the parent's socket
    context = multiprocessing.get_context("fork")
    batches = [behind[i : i + MIGRATE_BATCH] for i in range(0, len(behind), MIGRATE_BATCH)]
    with ProcessPoolExecutor(parallel, mp_context=context, initializer=_worker_init) as pool:
        futures = [pool.submit(_migrate_batch, batch) for batch in batches]
        for future in as_completed(futures):
            for schema, error in future.result():
                _record(report, schema, error)
                tick(schema)
    return report


def _record(report: MigrationReport, schema: str, error: str | None) -> None:
    if error:
        report.failed[schema] = error
    else:
        report.migrated.append(schema)
