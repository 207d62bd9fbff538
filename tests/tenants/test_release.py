"""A release that brings one app's migrations to every schema, run as an operator runs it
(`portalwerk tenants migrate --parallel N`, a real process) across 50 tenants besides the test
ones: each schema gets them exactly once, a failure in one schema is reported and leaves the
others migrated, and a run killed half-way is finished by the next."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from portalwerk.tenants import schemas
from tests.perf.scale_tenants import add_cheap_tenants, remove_cheap_tenants

ROOT = Path(__file__).resolve().parents[2]
CLI = str(Path(sys.executable).with_name("portalwerk"))
PREFIX = "release"
PROBE = "releaseprobe"


def _env(**extra: str) -> dict[str, str]:
    s = connection.settings_dict
    url = f"postgresql://{s['USER']}:{s['PASSWORD']}@/{s['NAME']}?host={s['HOST']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "tests.tenants.releaseprobe.settings",
        "PYTHONPATH": str(ROOT),
        "LANG": "en_GB.UTF-8",
        **extra,
    }


def _migrate(parallel: int = 4, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CLI, "tenants", "migrate", "--parallel", str(parallel)],
        env=_env(**extra),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )


def _schemas() -> list[str]:
    return [schemas.TEMPLATE_SCHEMA, *schemas.tenant_schemas()]


def _state() -> dict[str, tuple[int, int]]:
    """Per schema: the probe's recorded migrations and rows (-1 without its table)."""
    found = {}
    with connection.cursor() as cursor:
        for schema in _schemas():
            cursor.execute(
                f"SELECT count(*) FROM {schema}.django_migrations WHERE app = %s", [PROBE]
            )
            records = cursor.fetchone()[0]
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"{schema}.{PROBE}_probe"])
            rows = -1
            if cursor.fetchone()[0]:
                cursor.execute(f"SELECT count(*) FROM {schema}.{PROBE}_probe")
                rows = cursor.fetchone()[0]
            found[schema] = (records, rows)
    return found


def _forget_probe() -> None:
    with connection.cursor() as cursor:
        for schema in ["public", *_schemas()]:
            cursor.execute(f"DROP TABLE IF EXISTS {schema}.{PROBE}_probe")
            cursor.execute(f"DELETE FROM {schema}.django_migrations WHERE app = %s", [PROBE])
            if schema == "public":
                continue
            cursor.execute(
                f"DELETE FROM {schema}.auth_permission WHERE content_type_id IN "
                f"(SELECT id FROM {schema}.django_content_type WHERE app_label = %s)",
                [PROBE],
            )
            cursor.execute(
                f"DELETE FROM {schema}.django_content_type WHERE app_label = %s", [PROBE]
            )


@pytest.fixture
def fifty_tenants(live_db):
    add_cheap_tenants(PREFIX, 50)
    yield
    _forget_probe()
    remove_cheap_tenants(PREFIX)


def test_a_release_reaches_every_schema_once_and_a_failing_one_is_reported(fifty_tenants):
    # given 50 tenants (and the test ones and the template) without the probe's migrations,
    # one of which fails in its second migration
    failing = "t_release_00007"
    before = _state()
    assert len(before) >= 51 and set(before.values()) == {(0, -1)}
    # when the operator migrates all tenants, 4 at a time
    result = _migrate(RELEASE_PROBE_FAIL=failing)
    # then the failing schema is named, the run ends non-zero, and every other schema has both
    # migrations recorded and the one row the second wrote
    assert result.returncode == 1, result.stderr[-3000:]
    assert f"FAILED {failing}: RuntimeError: release probe fails in {failing}" in result.stderr
    assert f"migrated {len(before) - 1}, failed 1" in result.stdout
    after = _state()
    assert {s: v for s, v in after.items() if v != (2, 1)} == {failing: (1, 0)}
    # and the new model got its content type in a migrated schema, as Django's migrate does
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM t_release_00001.django_content_type WHERE app_label = %s",
            [PROBE],
        )
        assert cursor.fetchone()[0] == 1
    # when the operator runs it again once the cause is gone
    again = _migrate()
    # then only the failed schema is migrated, and now every schema has it once
    assert again.returncode == 0, again.stderr[-3000:]
    assert "migrated 1, failed 0" in again.stdout
    assert set(_state().values()) == {(2, 1)}
    # and a third run has nothing to do
    assert "migrated 0, failed 0" in _migrate().stdout


def test_a_killed_release_is_finished_by_the_next_run(fifty_tenants):
    # given a release whose second migration takes a while in every schema
    process = subprocess.Popen(
        [CLI, "tenants", "migrate", "--parallel", "2"],
        env=_env(RELEASE_PROBE_SLEEP="0.3"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        start_new_session=True,
    )
    # when it is killed (the command and its workers) once some schemas are done
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if sum(v == (2, 1) for v in _state().values()) >= 5:
                break
            time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    # then each schema has the second migration whole or not at all
    halfway = _state()
    done = [s for s, v in halfway.items() if v == (2, 1)]
    assert 5 <= len(done) < len(halfway)
    assert set(halfway.values()) <= {(0, -1), (1, 0), (2, 1)}
    # and the next run migrates the rest, and each schema has the row once
    result = _migrate()
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"migrated {len(halfway) - len(done)}, failed 0" in result.stdout
    assert set(_state().values()) == {(2, 1)}
