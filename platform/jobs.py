"""Background jobs on procrastinate, with the tenant passed explicitly.

A tenant job takes the tenant's schema name as its first argument and sets it itself, so no
"current tenant" can leak from one job into the next. `defer_for_tenant` uses Django's own
connection, so the job is deferred inside the caller's transaction: rolled back with it, and
visible to workers only once the write that caused it has committed.
"""

from __future__ import annotations

import contextvars
import functools
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django_tenants.utils import schema_context
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from portalwerk.platform.audit import context as audit_context

logger = logging.getLogger(__name__)


# A job that fails because the database went away (an outage, a failover) is tried again
# later, by which time a worker has reconnected. Jobs that declare their own `retry` keep it.
DATABASE_RETRY = RetryStrategy(
    max_attempts=10, exponential_wait=2, retry_exceptions={OperationalError, InterfaceError}
)


_current_job: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "portalwerk_current_job", default=None
)


def current_job_id() -> int | None:
    """The id of the job running in this thread, or None outside a job. A retry of a job keeps
    its id, so side effects keyed by it (`mail.send`) happen once however often it is tried."""
    return _current_job.get()


def remember_job(call_next, context, worker):
    """Task middleware of every tenant job: makes the job's id known to `current_job_id`."""
    token = _current_job.set(context.job.id)
    try:
        return call_next()
    finally:
        _current_job.reset(token)


def tenant_task(**task_options) -> Callable:
    """Declare a job that runs inside one tenant's schema: `@tenant_task(queue="mail")`."""

    def decorator(func: Callable) -> Callable:
        name = task_options.pop("name", f"{func.__module__}.{func.__name__}")
        task_options.setdefault("retry", DATABASE_RETRY)
        task_options["task_middleware"] = [*task_options.get("task_middleware", []), remember_job]

        @functools.wraps(func)
        def run_in_schema(schema_name: str, **kwargs):
            from portalwerk.tenants.models import Tenant

            with schema_context("public"):
                if not Tenant.objects.filter(schema_name=schema_name).exists():
                    return None  # the tenant was offboarded meanwhile: nothing to do
            # a job has its own id in the audit trail, as a request has
            with schema_context(schema_name), audit_context.using(audit_context.new_id("job-")):
                return func(**kwargs)

        return app.task(name=name, **task_options)(run_in_schema)

    return decorator


def defer_for_tenant(task, **kwargs) -> int:
    """Defer `task` for the tenant whose schema is active now, in the current transaction."""
    schema = connection.schema_name
    if schema == "public":
        raise RuntimeError("defer_for_tenant needs a tenant schema to be active")
    return task.defer(schema_name=schema, **kwargs)


def usable_connection(call_next, context, worker):
    """Task middleware: a sync job never starts on a database connection that died meanwhile
    (a PostgreSQL restart leaves Django's thread connection broken until someone notices)."""
    if connection.connection is not None and not connection.is_usable():
        connection.close()
    return call_next()


# Retries the jobs of workers that stopped sending heartbeats (killed, paused, cut off), in one
# statement: the row lock and the re-checked condition make two concurrent recoveries retry a
# job once, and never reset a job another worker has fetched since. The function is
# procrastinate's own retry (it writes the job's events as any retry does).
RECOVER_STALLED_JOBS = """
SELECT job.id, procrastinate_retry_job_v2(job.id, NOW(), NULL, NULL, NULL)
  FROM procrastinate_jobs job
  LEFT JOIN procrastinate_workers worker ON worker.id = job.worker_id
 WHERE job.status = 'doing'
   AND (worker.id IS NULL
        OR worker.last_heartbeat < NOW() - make_interval(secs => %s))
   FOR UPDATE OF job SKIP LOCKED
"""


@app.periodic(cron=settings.PORTALWERK_STALLED_JOBS_CRON, periodic_id="recover-stalled-jobs")
@app.task(
    name="portalwerk.platform.jobs.recover_stalled_jobs",
    queue="maintenance",
    queueing_lock="recover-stalled-jobs",
)
def recover_stalled_jobs(timestamp: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(RECOVER_STALLED_JOBS, [settings.PORTALWERK_WORKER_STALLED_SECONDS])
        retried = [row[0] for row in cursor.fetchall()]
    if retried:
        logger.warning("Retried %d job(s) of stalled workers: %s", len(retried), retried)
    return retried
