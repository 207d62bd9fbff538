"""What grows with the number of tenants, at 10, 200 and 1,000 tenants (quick: 10 and 50;
`PORTALWERK_BENCH_UPGRADE_LEVELS=10,200,2000` for others), the extra ones cheap clones of the
template (tests/perf/scale_tenants.py):

- `tenants_check_s`: which schemas are behind (the no-op upgrade check), against the same in one
  statement as before (`tenants_check_one_statement_s`), and the most relation locks one of its
  statements held; `tenants_migrate_noop_s`: `migrate_all()` with nothing to do;
  `tenant_migrate_django_one_s`: Django's migrate command on one up-to-date schema, the cost
  django-tenants pays per schema;
- `tenants_release_s`: a release of two migrations (the release probe app of the tests) to every
  schema, `tenants migrate --parallel` as the operator runs it, and per schema;
- `tenant_export_s`: the archive of one small tenant;
- `db_backend_kb`: a PostgreSQL server process's memory (pg_backend_memory_contexts) after
  reading one row of every table in 0, 100 and 500 tenant schemas, and after 500 with the
  connection recycled every PORTALWERK_DB_MAX_TENANTS_PER_CONNECTION (100) schemas.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .registry import Run, bench, timed
from .scale_tenants import add_cheap_tenants, remove_cheap_tenants

PREFIX = "upgrade"


def levels(run: Run) -> list[int]:
    given = os.environ.get("PORTALWERK_BENCH_UPGRADE_LEVELS")
    if given:
        return [int(n) for n in given.split(",")]
    return [10, 50] if run.quick else [10, 200, 1000]


def _tenant_count() -> int:
    from portalwerk.tenants.models import Tenant

    return Tenant.objects.exclude(schema_name="public").count()


def _grow(run: Run, level: int) -> None:
    have = _tenant_count()
    if have < level:
        add_cheap_tenants(PREFIX, level - have + _cheap_count(), log=run.log)


def _cheap_count() -> int:
    from portalwerk.tenants.models import Tenant

    return Tenant.objects.filter(slug__startswith=f"{PREFIX}-").count()


def _check_in_one_statement(everyone: list[str], expected: set[str]) -> None:
    """The check as it was before: one UNION over every schema's django_migrations (the
    baseline of `tenants_check_s`)."""
    from django.db import connection

    with connection.cursor() as cursor:
        union = " UNION ALL ".join(
            f"SELECT %s AS s, app, name FROM {connection.ops.quote_name(s)}.django_migrations"
            for s in everyone
        )
        cursor.execute(
            f"SELECT s, count(*) FROM ({union}) m WHERE app || '.' || name = ANY(%s) GROUP BY s",
            [*everyone, sorted(expected)],
        )
        cursor.fetchall()


def _check_locks(everyone: list[str]) -> int:
    """The most relation locks one statement of the check held (each run in a transaction of
    its own until counted)."""
    from django.db import connection, transaction

    from portalwerk.tenants import schemas

    held = [0]

    def count(execute, sql, params, many, context):
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

    with connection.execute_wrapper(count):
        schemas.schemas_behind(everyone)
    return max(held)


def _cli(*args: str) -> float:
    """Seconds of `portalwerk tenants migrate ...` with the release probe app installed, run as
    the operator runs it (its own process, parallel workers of its own)."""
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.tenants.releaseprobe.settings",
        "PYTHONPATH": str(root),
    }
    cli = str(Path(sys.executable).with_name("portalwerk"))
    start = time.perf_counter()
    result = subprocess.run(
        [cli, "tenants", "migrate", *args], env=env, cwd=root, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"tenants migrate failed: {result.stdout} {result.stderr[-2000:]}")
    return seconds


def _release(run: Run, level: int) -> None:
    from django.db import connection

    from portalwerk.tenants import schemas

    parallel = max(2, os.cpu_count() or 1)
    everyone = [schemas.TEMPLATE_SCHEMA, *schemas.tenant_schemas()]
    seconds = _cli("--parallel", str(parallel))
    noop = _cli("--parallel", str(parallel))  # the same command once nothing is behind
    run.figure(f"tenants_release_parallel@{level}", parallel)
    run.figure(f"tenants_release_s@{level}", seconds)
    run.figure(f"tenants_release_cli_noop_s@{level}", noop)
    run.figure(f"tenants_release_per_schema_s@{level}", (seconds - noop) / len(everyone))
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        for schema in ["public", *everyone]:
            q = connection.ops.quote_name(schema)
            cursor.execute(f"DROP TABLE IF EXISTS {q}.releaseprobe_probe")
            cursor.execute(f"DELETE FROM {q}.django_migrations WHERE app = 'releaseprobe'")
            if schema != "public":
                cursor.execute(
                    f"DELETE FROM {q}.auth_permission WHERE content_type_id IN (SELECT id "
                    f"FROM {q}.django_content_type WHERE app_label = 'releaseprobe')"
                )
                cursor.execute(
                    f"DELETE FROM {q}.django_content_type WHERE app_label = 'releaseprobe'"
                )


def _export(run: Run, level: int, tenant) -> None:
    from django.test import override_settings

    from portalwerk.tenants.archive import export

    with tempfile.TemporaryDirectory() as folder, override_settings(MEDIA_ROOT=folder):
        path = Path(folder) / "a.zip"
        export.write_archive(tenant, path)  # warm
        run.figure(
            f"tenant_export_s@{level}",
            statistics.median(timed(lambda: export.write_archive(tenant, path)) for _ in range(5)),
        )


@bench("tenant_upgrades")
def tenant_upgrades(run: Run) -> None:
    """The no-op check, a release, one tenant's export at 10, 200, 1,000 tenants."""
    from portalwerk.platform.authz.actors import system
    from portalwerk.tenants import schemas, services

    tenant = services.create_tenant(
        actor=system("bench"),
        data=services.NewTenant(name="Export Probe", slug="upgrade-export", kind="municipality"),
    )
    try:
        for level in levels(run):
            _grow(run, level)
            run.figure(f"tenants_existing@{level}", _tenant_count())
            everyone = [schemas.TEMPLATE_SCHEMA, *schemas.tenant_schemas()]
            expected = schemas.expected_migrations()
            run.figure(
                f"tenants_check_s@{level}",
                statistics.median(
                    timed(lambda e=everyone, x=expected: schemas.schemas_behind(e, x))
                    for _ in range(3)
                ),
            )
            run.figure(
                f"tenants_check_one_statement_s@{level}",
                timed(lambda e=everyone, x=expected: _check_in_one_statement(e, x)),
            )
            run.figure(f"tenants_check_locks_max@{level}", _check_locks(everyone))
            run.figure(f"tenants_migrate_noop_s@{level}", timed(schemas.migrate_all))
            run.figure(
                f"tenant_migrate_django_one_s@{level}",
                timed(lambda s=everyone[-1]: schemas.migrate_schema(s)),
            )
            _export(run, level, tenant)
            _release(run, level)
    finally:
        services.delete_tenant(actor=system("bench"), slug="upgrade-export")
        remove_cheap_tenants(PREFIX)


def _backend_kb() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(total_bytes) FROM pg_backend_memory_contexts")
        return int(cursor.fetchone()[0]) // 1024


def _read_every_table(schema: str, tables: list[str]) -> None:
    """As a request or job reads a tenant: on its search path (which is what the backend
    counts), not by schema-qualified names."""
    from django.db import connection
    from django_tenants.utils import schema_context

    with schema_context(schema), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}" LIMIT 1')


@bench("db_backend_memory")
def db_backend_memory(run: Run) -> None:
    """A server process's memory after 500 tenant schemas, with and without recycling."""
    from django.conf import settings
    from django.db import connection

    from portalwerk.tenants import schemas
    from portalwerk.tenants.connections import recycle_if_spread

    count = 150 if run.quick else 500
    limit = settings.PORTALWERK_DB_MAX_TENANTS_PER_CONNECTION
    try:
        names = add_cheap_tenants("memory", count, log=run.log)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1",
                [schemas.TEMPLATE_SCHEMA],
            )
            tables = [row[0] for row in cursor.fetchall()]
        for recycle in (False, True):
            connection.close()
            peak = start = _backend_kb()
            marks = {0: start}
            for number, schema in enumerate(names, 1):
                _read_every_table(schema, tables)
                if recycle and recycle_if_spread():
                    continue
                if number in (100, count) or number % 50 == 0:
                    kb = _backend_kb()
                    peak = max(peak, kb)
                    marks[number] = kb
            if recycle:
                run.figure(f"db_backend_kb_recycled@{count}", _backend_kb())
                run.figure(f"db_backend_kb_recycled_peak@{count}", peak)
                run.figure("db_max_tenants_per_connection", limit)
            else:
                run.figure("db_backend_kb@0", marks[0])
                run.figure("db_backend_kb@100", marks[100])
                run.figure(f"db_backend_kb@{count}", marks[count])
                run.figure("db_backend_kb_per_tenant", (marks[count] - marks[0]) / count)
        run.figure("db_tables_read_per_tenant", len(tables))
    finally:
        connection.close()
        remove_cheap_tenants("memory")
