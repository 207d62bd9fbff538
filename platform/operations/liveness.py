"""The job worker's own liveness: `portalwerk worker` writes a small JSON file every
PORTALWERK_WORKER_HEARTBEAT_SECONDS from its event loop, and `portalwerk worker --check` (a
Kubernetes exec probe) reads it without starting Django or opening a database connection.

The check fails when the file is older than PORTALWERK_WORKER_LIVENESS_SECONDS (the process is
gone, or its event loop hangs), or when the worker reaches the database but its own heartbeat in
`procrastinate_workers` has gone stale (procrastinate's heartbeat hangs: other workers will prune
it and retry its jobs). A worker waiting for the database is alive: it reconnects by itself, and
readiness reports the database."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from portalwerk.platform import env

WORKING = "working"
STARTING = "starting"
NO_DATABASE = "waiting for the database"
STALE = "heartbeat stale"


def heartbeat_file() -> Path:
    configured = os.environ.get("PORTALWERK_WORKER_HEARTBEAT_FILE", "")
    return Path(configured) if configured else env.home() / "run" / "worker-heartbeat.json"


def liveness_seconds() -> int:
    return env.integer("PORTALWERK_WORKER_LIVENESS_SECONDS", 60)


def write(path: Path, *, state: str, worker_id: int | None, working_at: float | None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(
        json.dumps(
            {
                "pid": os.getpid(),
                "state": state,
                "worker_id": worker_id,
                "at": time.time(),
                "working_at": working_at,
            }
        )
    )
    partial.replace(path)  # a reader never sees half a file


def check(path: Path | None = None, limit: float | None = None) -> tuple[bool, str]:
    """Whether the worker writing `path` is alive, and a line saying why (English: an
    operator's probe output, never shown to citizens)."""
    path = path or heartbeat_file()
    limit = liveness_seconds() if limit is None else limit
    try:
        beat = json.loads(path.read_text())
        age = time.time() - float(beat["at"])
    except FileNotFoundError:
        return False, f"no heartbeat file at {path}: the worker has not started"
    except (OSError, ValueError, KeyError, TypeError) as error:
        return False, f"the heartbeat file {path} cannot be read ({type(error).__name__})"
    pid, state = beat.get("pid"), beat.get("state", "")
    if age > limit:
        return False, f"worker {pid} wrote no heartbeat for {age:.0f} s (limit {limit:.0f} s)"
    if state == STALE:
        working_at = beat.get("working_at") or 0
        if time.time() - float(working_at) > limit:
            return False, (
                f"worker {pid} reaches the database but its procrastinate heartbeat is older "
                f"than {limit:.0f} s"
            )
    return True, f"worker {pid} is alive ({state}, {age:.0f} s ago)"
