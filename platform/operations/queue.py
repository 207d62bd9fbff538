"""The job queue as operators see it, read from procrastinate's tables in public: per queue and
task how many jobs wait (due now), are scheduled for later, run, and how long the oldest waiting
one has waited; and the newest worker heartbeat. Every query stays on the `todo`/`doing` rows
(procrastinate's partial indexes), so finished jobs piling up do not slow a probe down."""

from __future__ import annotations

from dataclasses import dataclass

QUEUE_SQL = """
SELECT queue_name, task_name,
       count(*) FILTER (WHERE status = 'todo' AND (scheduled_at IS NULL OR scheduled_at <= now())),
       count(*) FILTER (WHERE status = 'todo' AND scheduled_at > now()),
       count(*) FILTER (WHERE status = 'doing'),
       min(id) FILTER (WHERE status = 'todo' AND scheduled_at IS NULL),
       extract(epoch FROM now() - min(scheduled_at)
               FILTER (WHERE status = 'todo' AND scheduled_at <= now()))
  FROM procrastinate_jobs
 WHERE status IN ('todo', 'doing')
 GROUP BY queue_name, task_name
 ORDER BY queue_name, task_name
"""

# A job deferred without a schedule waits since it was deferred, which only its events know.
DEFERRED_SQL = """
SELECT job_id, extract(epoch FROM now() - min(at))
  FROM procrastinate_events
 WHERE type = 'deferred' AND job_id = ANY(%s)
 GROUP BY job_id
"""

HEARTBEAT_SQL = """
SELECT count(*), extract(epoch FROM now() - max(last_heartbeat)) FROM procrastinate_workers
"""


@dataclass(frozen=True)
class TaskQueue:
    queue: str
    task: str
    waiting: int
    scheduled: int
    running: int
    #: seconds the oldest waiting job has waited; 0 when none waits
    oldest_wait: float


def task_queues(cursor) -> list[TaskQueue]:
    cursor.execute(QUEUE_SQL)
    rows = cursor.fetchall()
    unscheduled = [row[5] for row in rows if row[5] is not None]
    deferred_age: dict[int, float] = {}
    if unscheduled:
        cursor.execute(DEFERRED_SQL, [unscheduled])
        deferred_age = {job_id: float(age) for job_id, age in cursor.fetchall()}
    return [
        TaskQueue(
            queue=queue,
            task=task,
            waiting=waiting,
            scheduled=scheduled,
            running=running,
            oldest_wait=max(
                float(due_age or 0), deferred_age.get(oldest_id, 0.0) if oldest_id else 0.0
            ),
        )
        for queue, task, waiting, scheduled, running, oldest_id, due_age in rows
    ]


@dataclass(frozen=True)
class Workers:
    registered: int
    #: seconds since the newest heartbeat of any worker; None when no worker is registered
    newest_heartbeat_age: float | None


def workers(cursor) -> Workers:
    cursor.execute(HEARTBEAT_SQL)
    registered, age = cursor.fetchone()
    return Workers(registered=registered, newest_heartbeat_age=None if age is None else float(age))
