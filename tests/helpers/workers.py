"""Real `portalwerk worker` processes on the test database, for the tests that prove a job is
safe against a worker killed mid-job (mail, hand-over). Development settings (no production
secrets needed), fast heartbeats and a stalled-job recovery every second, so another worker
takes a killed one's job over within a few seconds."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

CLI = str(Path(sys.executable).with_name("portalwerk"))
ROOT = Path(__file__).resolve().parents[2]
STALLED_SECONDS = 3


def database_url() -> str:
    db = connection.settings_dict
    return f"postgresql://{db['USER']}:{db['PASSWORD']}@/{db['NAME']}?host={db['HOST']}"


class Workers:
    """Starts workers on `queues` (plus maintenance, where stalled jobs are recovered) with
    `environment` added; `stop_all` kills what is left."""

    def __init__(self, queues: list[str], environment: dict[str, str] | None = None):
        self.queues = queues
        self.environment = environment or {}
        self.started: list[subprocess.Popen] = []

    def __call__(self) -> subprocess.Popen:
        # not the test settings: those keep mail in memory and switch the worker off
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in {"PORTALWERK_TESTING", "DJANGO_SETTINGS_MODULE"}
        }
        environment.update(
            {
                "DJANGO_DEBUG": "1",
                "DATABASE_URL": database_url(),
                "PYTHONPATH": str(ROOT),
                "PORTALWERK_WORKER_HEARTBEAT_SECONDS": "1",
                "PORTALWERK_WORKER_STALLED_SECONDS": str(STALLED_SECONDS),
                "PORTALWERK_STALLED_JOBS_CRON": "* * * * * */1",
                **self.environment,
            }
        )
        command = [CLI, "worker"]
        for queue in [*self.queues, "maintenance"]:
            command += ["--queue", queue]
        process = subprocess.Popen(
            command,
            env=environment,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
            process.wait(10)


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def forget_jobs_after(before: int) -> None:
    """Remove the jobs (and the workers' bookkeeping) made since job id `before`."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_periodic_defers WHERE job_id > %s", [before])
        cursor.execute("DELETE FROM procrastinate_jobs WHERE id > %s", [before])
        cursor.execute("DELETE FROM procrastinate_workers")


def last_job_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM procrastinate_jobs")
        return cursor.fetchone()[0]
