"""`portalwerk worker`: procrastinate's worker, kept running through faults.

procrastinate stops a worker when one of its side tasks fails: the heartbeat or the listener
after a database outage, or the job loop of a worker that was paused long enough for another
worker to prune it. Such a stop is not a request to quit, so the worker is started again (with
back-off while the database is away) until a signal asks it to stop. Jobs the dead worker was
running are retried by `jobs.recover_stalled_jobs`.

Beside it, the supervisor writes the liveness file of `portalwerk worker --check`
(`operations.liveness`) on every heartbeat interval, through restarts and outages alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time

from django.conf import settings
from procrastinate.contrib.django import app
from procrastinate.worker import Worker

from portalwerk.platform.jobs import usable_connection
from portalwerk.platform.observability.jobs import log_job
from portalwerk.platform.operations import liveness
from portalwerk.tenants.connections import recycle_after_job

logger = logging.getLogger("portalwerk.worker")

FIRST_DELAY = 1.0
MAX_DELAY = 10.0
# A worker that ran this long before stopping was healthy: the next restart is quick again.
HEALTHY_AFTER = 60.0
# Around every job the worker runs (tests that run a worker use the same list); a connection
# that has used PORTALWERK_DB_MAX_TENANTS_PER_CONNECTION schemas is closed after the job.
TASK_MIDDLEWARE = [usable_connection, recycle_after_job, log_job]


def run(*, queues: list[str] | None = None) -> int:
    with app.replace_connector(app.connector.get_worker_connector()):
        asyncio.run(_supervise(queues))
    return 0


async def _supervise(queues: list[str] | None) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    delay = FIRST_DELAY
    current = _Current()
    beating = asyncio.create_task(_beat(current))
    try:
        while not stop.is_set():
            started = time.monotonic()
            reason = await _run_once(stop, queues, current)
            if stop.is_set():
                break
            if time.monotonic() - started > HEALTHY_AFTER:
                delay = FIRST_DELAY
            logger.warning(
                "The job worker stopped (%s); starting it again in %.0f s", reason, delay
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            delay = min(delay * 2, MAX_DELAY)
    finally:
        beating.cancel()


class _Current:
    """The procrastinate worker running now, if any, and when its heartbeat was last fresh."""

    worker: Worker | None = None
    working_at: float | None = None


HEARTBEAT_AGE_SQL = (
    "SELECT extract(epoch FROM now() - last_heartbeat)::float AS age "
    "FROM procrastinate_workers WHERE id = %(id)s"
)


async def _beat(current: _Current) -> None:
    """Writes the liveness file (operations.liveness) every heartbeat interval, from the event
    loop: a hung loop stops writing, a live one says what its worker is doing."""
    path = liveness.heartbeat_file()
    interval = settings.PORTALWERK_WORKER_HEARTBEAT_SECONDS
    while True:
        worker = current.worker
        worker_id = worker.worker_id if worker is not None else None
        state = liveness.STARTING
        if worker_id is not None:
            try:
                row = await asyncio.wait_for(
                    app.connector.execute_query_all_async(HEARTBEAT_AGE_SQL, id=worker_id),
                    max(interval, 5),
                )
            except Exception:  # the database is away or slow: the supervisor reconnects
                state = liveness.NO_DATABASE
            else:
                fresh = row and row[0]["age"] <= settings.PORTALWERK_WORKER_STALLED_SECONDS
                state = liveness.WORKING if fresh else liveness.STALE
                if fresh:
                    current.working_at = time.time()
        try:
            liveness.write(path, state=state, worker_id=worker_id, working_at=current.working_at)
        except OSError as error:
            logger.warning("Cannot write the worker heartbeat file %s: %s", path, error)
        await asyncio.sleep(interval)


async def _run_once(stop: asyncio.Event, queues: list[str] | None, current: _Current) -> str:
    """Runs one worker until it stops by itself (returns why) or `stop` is set."""
    try:
        async with app.open_async():
            # procrastinate's Worker itself (what `app.run_worker_async` builds), so that the
            # liveness beat knows its id in procrastinate_workers
            app.perform_import_paths()
            current.worker = Worker(
                app=app,
                **{
                    **app.worker_defaults,
                    "queues": queues,
                    "install_signal_handlers": False,
                    "update_heartbeat_interval": settings.PORTALWERK_WORKER_HEARTBEAT_SECONDS,
                    "stalled_worker_timeout": settings.PORTALWERK_WORKER_STALLED_SECONDS,
                    "task_middleware": TASK_MIDDLEWARE,
                },
            )
            worker = asyncio.create_task(current.worker.run())
            stopping = asyncio.create_task(stop.wait())
            done, _pending = await asyncio.wait(
                {worker, stopping}, return_when=asyncio.FIRST_COMPLETED
            )
            if worker not in done:
                worker.cancel()  # procrastinate finishes running jobs, then returns
                with contextlib.suppress(asyncio.CancelledError):
                    await worker
                return "asked to stop"
            stopping.cancel()
            worker.result()
            return "a side task failed"
    except Exception as exc:  # the database is away, or the worker loop crashed
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    finally:
        current.worker = None
