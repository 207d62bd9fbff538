"""The job worker's own liveness check, against a real `portalwerk worker` process on a
PostgreSQL cluster of its own: alive while it works, not alive once it hangs (SIGSTOP) or is
gone, alive again when it resumes. `portalwerk worker --check` is what a Kubernetes exec probe
runs; it reads the heartbeat file only (no Django, no database)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from procrastinate.schema import SchemaManager

from portalwerk.platform import embedded_db, env

CLI = str(Path(sys.executable).with_name("portalwerk"))
ROOT = Path(__file__).resolve().parents[3]
LIVENESS_SECONDS = 3


@pytest.fixture(scope="module")
def cluster():
    data_dir = env.home() / "liveness-pg"
    url = embedded_db.ensure_running(data_dir, fast_unsafe=True).url()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        conn.execute(SchemaManager.get_schema())
    yield url
    embedded_db.stop(data_dir)


@pytest.fixture
def environment(cluster, tmp_path):
    return {
        **os.environ,
        "DATABASE_URL": cluster,
        "PYTHONPATH": str(ROOT),
        "PORTALWERK_WORKER_HEARTBEAT_FILE": str(tmp_path / "worker-heartbeat.json"),
        "PORTALWERK_WORKER_HEARTBEAT_SECONDS": "1",
        "PORTALWERK_WORKER_LIVENESS_SECONDS": str(LIVENESS_SECONDS),
    }


@pytest.fixture
def worker(environment):
    process = subprocess.Popen(
        [CLI, "worker", "--queue", "liveness"],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield process
    if process.poll() is None:
        os.kill(process.pid, signal.SIGCONT)
        process.terminate()
    process.wait(30)


def check(environment) -> tuple[int, str]:
    done = subprocess.run(
        [CLI, "worker", "--check"],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.returncode, (done.stdout + done.stderr).strip()


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def test_the_worker_check_follows_a_real_worker(environment, worker):
    beat = Path(environment["PORTALWERK_WORKER_HEARTBEAT_FILE"])
    # before the worker has written anything, the check fails and says so
    if not beat.exists():
        code, line = check(environment)
        assert code == 1 and "has not started" in line
    # given the worker registered and writing its heartbeat
    wait_for(
        lambda: beat.exists() and json.loads(beat.read_text())["state"] == "working",
        60,
        "the worker to work",
    )
    # then the check passes and names it
    code, line = check(environment)
    assert code == 0, line
    assert f"worker {worker.pid} is alive (working" in line
    # when the worker hangs
    os.kill(worker.pid, signal.SIGSTOP)
    time.sleep(LIVENESS_SECONDS + 1.5)
    # then the check fails, saying for how long it has been silent
    code, line = check(environment)
    assert code == 1, line
    assert f"worker {worker.pid} wrote no heartbeat for" in line and "limit 3 s" in line
    # when it resumes, it is alive again
    os.kill(worker.pid, signal.SIGCONT)
    wait_for(lambda: check(environment)[0] == 0, 30, "the check to pass again")
    # when it is gone, the check fails again
    worker.kill()
    worker.wait(10)
    time.sleep(LIVENESS_SECONDS + 1.5)
    assert check(environment)[0] == 1
