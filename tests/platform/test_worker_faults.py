"""The job worker survives faults, proven with real processes on a PostgreSQL cluster of its own
(so that stopping it for half a minute does not touch the rest of the suite): a worker killed
with SIGKILL mid-job, a worker paused until another one takes its job over, and PostgreSQL
stopped for 30 s. In each case every job ends done, and its effect exists exactly once. And
`portalwerk demo` starts a crashed worker again instead of stopping everything."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest
from procrastinate import App, SyncPsycopgConnector
from procrastinate.schema import SchemaManager

from portalwerk.platform import embedded_db, env

CLI = str(Path(sys.executable).with_name("portalwerk"))
ROOT = Path(__file__).resolve().parents[2]
OUTAGE_SECONDS = 30
STALLED_SECONDS = 3


@pytest.fixture(scope="module")
def cluster():
    data_dir = env.home() / "fault-pg"
    server = embedded_db.ensure_running(data_dir, fast_unsafe=True)
    url = server.url()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        conn.execute(SchemaManager.get_schema())
        conn.execute("CREATE TABLE fault_runs (key text NOT NULL, at timestamptz DEFAULT now())")
        conn.execute("CREATE TABLE fault_effects (key text PRIMARY KEY)")
    yield data_dir, url
    embedded_db.stop(data_dir)


@pytest.fixture
def workers(cluster):
    """Starts `portalwerk worker` processes on the fault cluster; stops what is left at the end."""
    _data_dir, url = cluster
    started: list[subprocess.Popen] = []
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE fault_runs, fault_effects, procrastinate_jobs CASCADE")
        conn.execute("DELETE FROM procrastinate_workers")

    def start() -> subprocess.Popen:
        environment = {
            **os.environ,
            "DATABASE_URL": url,
            "PYTHONPATH": str(ROOT),
            "PORTALWERK_EXTRA_TASK_MODULES": "tests.helpers.fault_tasks",
            "PORTALWERK_WORKER_HEARTBEAT_SECONDS": "1",
            "PORTALWERK_WORKER_STALLED_SECONDS": str(STALLED_SECONDS),
            "PORTALWERK_STALLED_JOBS_CRON": "* * * * * */1",
        }
        process = subprocess.Popen(
            [CLI, "worker", "--queue", "faults", "--queue", "maintenance"],
            env=environment,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGCONT)
            process.kill()
        process.wait(10)


def defer(url: str, key: str, seconds: float) -> None:
    app = App(connector=SyncPsycopgConnector(conninfo=url))
    with app.open():
        app.configure_task("tests.fault_tasks.slow_effect", queue="faults").defer(
            key=key, seconds=seconds
        )


def rows(url: str, sql: str, *args) -> list[tuple]:
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=2) as conn:
            return conn.execute(sql, args).fetchall()
    except psycopg.OperationalError:
        return []


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def runs(url: str, key: str) -> int:
    return rows(url, "SELECT count(*) FROM fault_runs WHERE key = %s", key)[0][0]


def effects(url: str, key: str) -> int:
    found = rows(url, "SELECT count(*) FROM fault_effects WHERE key = %s", key)
    return found[0][0] if found else 0


def job_states(url: str) -> list[str]:
    return [
        status
        for (status,) in rows(
            url,
            "SELECT status::text FROM procrastinate_jobs WHERE task_name = %s ORDER BY id",
            "tests.fault_tasks.slow_effect",
        )
    ]


def stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(20)


def test_a_job_of_a_worker_killed_mid_job_is_retried_and_done_once(cluster, workers):
    _data_dir, url = cluster
    # given a worker running a job
    first = workers()
    defer(url, "killed", seconds=3)
    wait_for(lambda: runs(url, "killed") == 1, 30, "the first worker to start the job")
    # when the worker is killed with SIGKILL in the middle of it, and another worker runs
    first.kill()
    first.wait(10)
    second = workers()
    # then the job is taken over, and its effect exists once
    wait_for(lambda: job_states(url) == ["succeeded"], 40, "the job to be done")
    assert effects(url, "killed") == 1
    assert runs(url, "killed") == 2  # started by the killed worker, then retried
    assert stop(second) == 0


def test_a_paused_worker_that_was_taken_over_recovers_and_goes_on_working(cluster, workers):
    _data_dir, url = cluster
    # given a worker paused (SIGSTOP) in the middle of a job
    paused = workers()
    defer(url, "paused", seconds=2)
    wait_for(lambda: runs(url, "paused") == 1, 30, "the first worker to start the job")
    os.kill(paused.pid, signal.SIGSTOP)
    # when another worker starts once the paused one has been silent past the stall limit
    # (so it prunes the paused one's registration), takes the job over, and the paused resumes
    time.sleep(STALLED_SECONDS + 1)
    other = workers()
    wait_for(lambda: job_states(url) == ["succeeded"], 40, "the other worker to do the job")
    os.kill(paused.pid, signal.SIGCONT)
    time.sleep(4)  # the resumed worker finds its job gone and its registration pruned
    assert stop(other) == 0
    # then the resumed worker is still there and does the next job on its own
    assert paused.poll() is None
    defer(url, "after-resume", seconds=0)
    wait_for(lambda: effects(url, "after-resume") == 1, 40, "the resumed worker's next job")
    assert effects(url, "paused") == 1
    assert job_states(url) == ["succeeded", "succeeded"]
    assert stop(paused) == 0


def test_the_worker_reconnects_after_a_database_outage_and_loses_no_job(cluster, workers):
    data_dir, url = cluster
    # given a worker in the middle of a job
    worker = workers()
    defer(url, "during-outage", seconds=2)
    wait_for(lambda: runs(url, "during-outage") == 1, 30, "the worker to start the job")
    # when PostgreSQL is stopped for 30 s and comes back, and another job is deferred
    embedded_db.stop(data_dir)
    time.sleep(OUTAGE_SECONDS)
    embedded_db.ensure_running(data_dir, fast_unsafe=True)
    defer(url, "after-outage", seconds=0)
    # then the same worker process does both jobs, each once
    try:
        wait_for(lambda: job_states(url) == ["succeeded", "succeeded"], 60, "both jobs done")
    except AssertionError:
        worker.kill()
        raise AssertionError(
            f"{job_states(url)}; the worker said: {worker.stdout.read()}"
        ) from None
    assert effects(url, "during-outage") == 1
    assert effects(url, "after-outage") == 1
    assert worker.poll() is None
    assert stop(worker) == 0


def _children(pid: int) -> dict[str, int]:
    """The demo's child processes by what they run (`portalwerk… worker`, `gunicorn`)."""
    listing = subprocess.run(
        ["ps", "-o", "pid=,ppid=,args=", "-e"], capture_output=True, text=True, check=True
    ).stdout
    found = {}
    for line in listing.splitlines():
        child_pid, parent, args = line.split(None, 2)
        if int(parent) == pid:
            found["worker" if args.endswith(" worker") else "web"] = int(child_pid)
    return found


def test_the_demo_starts_a_crashed_worker_again_and_keeps_serving(cluster, tmp_path):
    _data_dir, url = cluster
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        for (schema,) in conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
            "AND nspname NOT IN ('public', 'information_schema')"
        ).fetchall():
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    port = 18000 + os.getpid() % 1000
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "PORTALWERK_HOME": str(tmp_path),
        "LANG": "en_GB.UTF-8",  # the demo speaks the terminal's language; this reads English
        "LC_ALL": "",
        "LC_MESSAGES": "",
    }
    demo = subprocess.Popen(
        [CLI, "demo", "--port", str(port)],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # given a running demo
        lines: list[str] = []
        for line in demo.stdout:
            lines.append(line)
            if "Press Ctrl-C" in line:
                break
        assert "Press Ctrl-C" in lines[-1], "".join(lines[-20:])
        worker_pid = _children(demo.pid)["worker"]
        # when its job worker is killed
        os.kill(worker_pid, signal.SIGKILL)
        # then the demo says so, starts a new worker and the web server still answers
        for line in demo.stdout:
            lines.append(line)
            if "starting it again" in line:
                break
        assert "job worker ended (exit code -9); starting it again" in lines[-1]
        wait_for(
            lambda: _children(demo.pid).get("worker") not in (None, worker_pid), 10, "a new worker"
        )
        with urllib.request.urlopen(f"http://localhost:{port}/", timeout=30) as answer:
            assert answer.status == 200
        assert demo.poll() is None
    finally:
        demo.send_signal(signal.SIGTERM)
        demo.wait(30)
