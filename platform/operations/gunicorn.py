"""gunicorn's settings for metrics with several web processes:
`gunicorn -c python:portalwerk.platform.operations.gunicorn portalwerk.platform.wsgi:application`
with PROMETHEUS_MULTIPROC_DIR set (an empty folder of this machine or pod). Each worker process
writes its counters and histograms there; a scrape answered by any one adds up all of them."""

from __future__ import annotations

import os
from pathlib import Path


def _folder() -> Path | None:
    configured = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    return Path(configured) if configured else None


def on_starting(server) -> None:
    """A new master starts from zero: files of an earlier run would be added to this one's."""
    folder = _folder()
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()


def child_exit(server, worker) -> None:
    """A worker that ended keeps its counts (they stay in the sums), but not its live gauges."""
    if _folder() is not None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
