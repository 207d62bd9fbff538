"""The job log: every job the worker runs logs with its task, job id and tenant, and ends with
one `job_finished` or `job_failed` line; Sentry events from a job carry the same tags."""

from __future__ import annotations

import time

import sentry_sdk
import structlog
from django.db import DatabaseError

logger = structlog.get_logger("portalwerk.jobs")


def _tenant_slug(schema_name: str | None) -> str | None:
    if not schema_name or schema_name == "public":
        return None
    from portalwerk.tenants.models import Tenant

    try:
        return Tenant.objects.filter(schema_name=schema_name).values_list("slug", flat=True).first()
    except DatabaseError:
        return None  # the job itself meets the outage and is retried


def log_job(call_next, job_context, worker):
    """procrastinate task middleware (platform/worker.py); runs in the job's own thread."""
    job = job_context.job
    labels = {
        "task": job.task_name,
        "job_id": job.id,
        "tenant": _tenant_slug(job.task_kwargs.get("schema_name")),
    }
    started = time.perf_counter()
    with (
        structlog.contextvars.bound_contextvars(
            **{key: value for key, value in labels.items() if value is not None}
        ),
        sentry_sdk.isolation_scope() as scope,
    ):
        for key, value in labels.items():
            if value is not None:
                scope.set_tag(key, str(value))
        details = {"queue": job.queue, "attempt": job.attempts + 1}
        try:
            result = call_next()
        except BaseException as error:
            logger.warning("job_failed", duration_ms=_ms(started), **details, exc_info=True)
            # here, inside the job's scope: procrastinate's own report of the failure comes
            # later, without these tags, and with the job's arguments in its text
            sentry_sdk.capture_exception(error)
            raise
        logger.info("job_finished", duration_ms=_ms(started), **details)
        return result


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
