"""Running a lifecycle run's steps in order, each recorded as it goes.

Every state change of a step is committed on its own, before and after the step's work, so that
whoever looks (console, CLI, a second worker) sees where a run stands, and so that a run whose
process was killed or whose database connection was cut is found with its step still "running":
resuming runs that step again, and the step's own check finds what is there already. A session
advisory lock per run keeps two processes from running one run at once; PostgreSQL releases it
when the connection ends, killed or not.
"""

from __future__ import annotations

import os
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portalwerk.platform.authz.actors import Actor
from portalwerk.tenants.models import LifecycleRun, LifecycleStep, RunState, StepState


class Skipped(Exception):  # noqa: N818 - not an error: the step had nothing to do, and says why
    """Raised by a step that does not apply; its text is the recorded reason."""


class Wait(Exception):  # noqa: N818 - not an error: the run pauses until a later time
    """Raised by a step that must not run yet (offboarding's grace period)."""


class Busy(Exception):  # noqa: N818
    """Another process is running this run right now."""


@dataclass(frozen=True)
class Step:
    name: str
    #: does the step's work, or finds it done already; returns the line to record
    do: Callable[[LifecycleRun, Actor], str]


def one_line(text: str, limit: int = 500) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return one_line(" ".join(exc.messages))
    if isinstance(exc, OperationalError | InterfaceError):
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return one_line(_("The database connection was lost: %(detail)s") % {"detail": first})
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return one_line(message)


def _lock_key(run_id: int) -> int:
    return zlib.crc32(f"portalwerk-lifecycle-{run_id}".encode()) - 2**31


def _try_lock(run_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_lock_key(run_id)])
        return bool(cursor.fetchone()[0])


def _unlock(run_id: int) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_lock_key(run_id)])
    except DatabaseError:  # the connection is gone, and the lock with it
        connection.close()


def _save(step: LifecycleStep, **changes) -> None:
    for name, value in changes.items():
        setattr(step, name, value)
    LifecycleStep.objects.filter(pk=step.pk).update(**changes)


def _finish_run(run: LifecycleRun, state: str) -> None:
    run.state = state
    run.finished_at = timezone.now() if state == RunState.DONE else None
    LifecycleRun.objects.filter(pk=run.pk).update(state=run.state, finished_at=run.finished_at)


def execute(
    run: LifecycleRun,
    steps: list[Step],
    *,
    actor: Actor,
    report: Callable[[LifecycleStep], None] | None = None,
) -> LifecycleRun:
    """Run every step not yet done or skipped, in order, stopping at the first that fails (the
    run is then "failed" and can be resumed) or waits. `report(step)` hears each change."""
    connection.set_schema_to_public()
    if not _try_lock(run.pk):
        raise Busy(run.slug)
    try:
        return _execute(run, steps, actor=actor, report=report or (lambda _step: None))
    finally:
        _unlock(run.pk)


def _execute(run, steps, *, actor, report) -> LifecycleRun:
    run.refresh_from_db()
    if run.state == RunState.DONE:
        return run
    by_name = {step.name: step for step in steps}
    _finish_run(run, RunState.RUNNING)
    for row in run.steps.order_by("position"):
        if row.state in {StepState.DONE, StepState.SKIPPED}:
            continue
        _save(
            row,
            state=StepState.RUNNING,
            attempts=row.attempts + 1,
            started_at=timezone.now(),
            finished_at=None,
            message="",
        )
        report(row)
        try:
            message = by_name[row.name].do(run, actor)
        except Skipped as reason:
            _save(
                row, state=StepState.SKIPPED, message=one_line(reason), finished_at=timezone.now()
            )
        except Wait as reason:
            # not an attempt: the step did nothing yet
            _save(
                row,
                state=StepState.PENDING,
                message=one_line(reason),
                attempts=row.attempts - 1,
                started_at=None,
            )
            _finish_run(run, RunState.WAITING)
            report(row)
            return run
        except Exception as exc:  # any failure: recorded as one line, the run can be resumed
            if isinstance(exc, OperationalError | InterfaceError) or (
                connection.connection is not None and not connection.is_usable()
            ):
                connection.close()  # the next query connects again
            _save(row, state=StepState.FAILED, message=_problem(exc), finished_at=timezone.now())
            _finish_run(run, RunState.FAILED)
            report(row)
            return run
        else:
            _save(row, state=StepState.DONE, message=one_line(message), finished_at=timezone.now())
        report(row)
    _finish_run(run, RunState.DONE)
    return run


def pause_for_tests(step: str) -> None:
    """Stop here until the test that started this process says go on.

    Exists for the tests that kill an onboarding for real (tests/tenants/lifecycle/): they need
    the process to be inside a step, with its transaction open, at a moment they know. Honoured
    only in a test run (PORTALWERK_TESTING) and only when PORTALWERK_TEST_PAUSE_AT names this
    step: it writes this connection's backend pid to `<PORTALWERK_TEST_PAUSE_FILE>.paused` and
    waits (at most a minute) until `<PORTALWERK_TEST_PAUSE_FILE>.go` exists.
    """
    if not settings.TESTING or os.environ.get("PORTALWERK_TEST_PAUSE_AT") != step:
        return
    base = os.environ["PORTALWERK_TEST_PAUSE_FILE"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    Path(base + ".paused").write_text(str(pid))
    deadline = time.monotonic() + 60
    while not Path(base + ".go").exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def inside_step(step: str):
    """The step's own transaction, with the test pause at its end (before the commit)."""
    return _StepTransaction(step)


class _StepTransaction:
    def __init__(self, step: str):
        self.step = step
        self.atomic = transaction.atomic()

    def __enter__(self):
        self.atomic.__enter__()
        return self

    def __exit__(self, kind, value, traceback):
        if kind is None:
            try:
                pause_for_tests(self.step)
            except BaseException as exc:
                self.atomic.__exit__(type(exc), exc, exc.__traceback__)
                raise
        return self.atomic.__exit__(kind, value, traceback)
