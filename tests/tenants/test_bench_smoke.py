"""`make bench` keeps working: the benchmark entry point, run as a developer runs it (a quick,
filtered run on its own embedded cluster), prints only `name: number` lines. No timing is
asserted; the figures are for people to read."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIGURE = re.compile(r"^[a-z][a-z0-9_]*(@\d+)?: -?\d+(\.\d+)?$")


def quick_bench(name: str) -> subprocess.CompletedProcess:
    """`python -m tests.perf --quick --only NAME` from a shell without the test run's database
    settings, as a developer runs it."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PORTALWERK_TESTING"}
    }
    return subprocess.run(
        [sys.executable, "-m", "tests.perf", "--quick", "--only", name],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_quick_bench_prints_only_named_figures():
    # given a shell without the test run's database settings
    # when the bench runs quickly, only the no-op migration of every tenant
    result = quick_bench("tenants_migrate_noop")
    # then it succeeds and every line of its output is `name: number`
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines
    assert [line for line in lines if not FIGURE.match(line)] == []
    figures = dict(line.split(": ") for line in lines)
    # with the figures of the chosen benchmark, its context, and nothing of the others
    assert float(figures["tenants_migrate_noop_s"]) > 0
    assert figures["tenants_existing"] == "50"
    assert int(figures["cores"]) >= 1
    assert not any(name.startswith("tenant_create") for name in figures)


def test_quick_hand_over_bench_delivers_to_its_receiver_beside_the_portal():
    # given the same shell; the bench runs with production settings, where hand-over targets
    # may not point at loopback, but its own receiver is on loopback
    result = quick_bench("handover")
    # then the deliveries went through and their figures are there
    assert result.returncode == 0, result.stderr[-2000:]
    figures = dict(line.split(": ") for line in result.stdout.splitlines() if FIGURE.match(line))
    assert float(figures["handover_deliveries_per_s"]) > 0
    assert float(figures["handover_submit_ratio"]) > 0


def test_quick_tenant_archive_bench_exports_and_imports():
    # given the same shell, when the archive bench runs quickly (50 submissions)
    result = quick_bench("tenant_archive")
    # then it measured the export and the import against an empty tenant's clone
    assert result.returncode == 0, result.stderr[-2000:]
    figures = dict(line.split(": ") for line in result.stdout.splitlines() if FIGURE.match(line))
    assert figures["tenant_archive_submissions"] == "50"
    assert float(figures["tenant_export_s"]) > 0 and float(figures["tenant_import_s"]) > 0
    assert float(figures["tenant_import_ratio"]) > 0
    assert int(figures["tenant_archive_bytes"]) > 50 * 4096  # 50 photos of 4 KiB at least
