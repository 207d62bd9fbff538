"""The readiness checks (django-health-check's `HealthCheck`). Each says in one sentence what is
wrong, with numbers and the limit, never a database error's text (it may name hosts or roles) and
never anything of a citizen's. Each runs its queries in the request's thread (asgiref's
thread-sensitive mode: the thread's own connection, no connection per executor thread) under a
statement timeout, so a probe never hangs on a locked table."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from portalwerk.platform.operations import queue, tallies

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def probe_cursor():
    """A cursor in public, in a transaction bounded by PORTALWERK_PROBE_TIMEOUT_MS."""
    connection.set_schema_to_public()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('statement_timeout'), "
                "set_config('statement_timeout', %s, true)",
                [str(settings.PORTALWERK_PROBE_TIMEOUT_MS)],
            )
            previous = cursor.fetchone()[0]
            yield cursor
            # inside an outer transaction (a savepoint) the local setting would outlive us
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
    except DatabaseError as error:
        logger.warning("A readiness check could not read the database: %s", type(error).__name__)
        raise ServiceUnavailable(f"the database did not answer ({type(error).__name__})") from error


class ProbeCheck(HealthCheck):
    """A check whose work is a sync function run on the request thread."""

    name = ""

    def check(self) -> None:
        raise NotImplementedError

    async def run(self) -> None:
        await sync_to_async(self.check)()


@dataclasses.dataclass
class Database(ProbeCheck):
    name = "database"

    def check(self) -> None:
        with probe_cursor() as cursor:
            cursor.execute("SELECT 1")
            if cursor.fetchone() != (1,):
                raise ServiceUnavailable("the database answered SELECT 1 with something else")


@functools.cache
def _expected_migrations() -> frozenset[str]:
    from portalwerk.tenants.schemas import expected_migrations

    return frozenset(expected_migrations())  # the graph on disk: loaded once per process


@dataclasses.dataclass
class Migrations(ProbeCheck):
    """Public and the template schema (which every new tenant is cloned from) carry every
    migration this release has; tenant schemas are `portalwerk tenants migrate`'s business."""

    name = "migrations"

    def check(self) -> None:
        from portalwerk.tenants.schemas import TEMPLATE_SCHEMA, schemas_behind

        with probe_cursor():
            behind = schemas_behind(["public", TEMPLATE_SCHEMA], set(_expected_migrations()))
        if behind:
            raise ServiceUnavailable(
                f"schema(s) {', '.join(behind)} lack migrations of this release: "
                "run `portalwerk tenants migrate`"
            )


@dataclasses.dataclass
class Worker(ProbeCheck):
    """Some job worker sent a heartbeat lately (procrastinate's own, every
    PORTALWERK_WORKER_HEARTBEAT_SECONDS)."""

    name = "worker"

    def check(self) -> None:
        limit = settings.PORTALWERK_READY_WORKER_SECONDS
        with probe_cursor() as cursor:
            found = queue.workers(cursor)
        if found.newest_heartbeat_age is None:
            raise ServiceUnavailable("no job worker is registered: start `portalwerk worker`")
        if found.newest_heartbeat_age > limit:
            raise ServiceUnavailable(
                f"the newest job worker heartbeat is {found.newest_heartbeat_age:.0f} s old "
                f"(limit {limit} s)"
            )


@dataclasses.dataclass
class JobQueue(ProbeCheck):
    """No job that is due has waited longer than PORTALWERK_READY_JOB_WAIT_SECONDS."""

    name = "job_queue"

    def check(self) -> None:
        limit = settings.PORTALWERK_READY_JOB_WAIT_SECONDS
        with probe_cursor() as cursor:
            tasks = queue.task_queues(cursor)
        late = [task for task in tasks if task.oldest_wait > limit]
        if late:
            worst = max(late, key=lambda task: task.oldest_wait)
            raise ServiceUnavailable(
                f"a {worst.task} job in queue {worst.queue} has waited {worst.oldest_wait:.0f} s "
                f"(limit {limit} s); {sum(task.waiting for task in late)} job(s) are that late "
                "or waiting behind them"
            )


@dataclasses.dataclass
class DeadLetters(ProbeCheck):
    """At most PORTALWERK_READY_MAX_DEAD_LETTERS hand-over deliveries failed for good."""

    name = "handover_dead_letters"

    def check(self) -> None:
        limit = settings.PORTALWERK_READY_MAX_DEAD_LETTERS
        with probe_cursor() as cursor:
            found = tallies.dead_letters(cursor)
        if found.total > limit:
            worst = ", ".join(f"{slug} ({count})" for slug, count in found.worst)
            raise ServiceUnavailable(
                f"{found.total} hand-over deliveries failed for good in {found.tenants} "
                f"tenant(s) (limit {limit}); most in {worst}"
            )


READINESS = [Database, Migrations, Worker, JobQueue, DeadLetters]
