"""Onboarding killed for real and run again: the CLI as a process of its own, stopped inside a
step with that step's transaction open (runner.pause_for_tests), then either killed with
SIGKILL or cut off from PostgreSQL with pg_terminate_backend. Running it again completes the
tenant with one row, one schema and one invited admin."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from procrastinate.contrib.django.models import ProcrastinateJob

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.authz.actors import system
from portalwerk.tenants import schemas, services
from portalwerk.tenants.models import LifecycleRun, LifecycleStep, Tenant, TenantStatus

CLI = str(Path(sys.executable).with_name("portalwerk"))
SLUG = "kill-dorf"
SCHEMA = "t_kill_dorf"
ONBOARD = [
    "tenants", "onboard", SLUG, "--name", "Gemeinde Killdorf", "--kind", "municipality",
    "--parent", "testland", "--admin-email", "chef@killdorf.example", "--wait",
]  # fmt: skip


def _env(pause_at: str = "", pause_file: str = "") -> dict:
    db = connection.settings_dict
    url = f"postgresql://{db['USER']}:{db['PASSWORD']}@/{db['NAME']}?host={db['HOST']}"
    env = {**os.environ, "DATABASE_URL": url, "LANG": "en_GB.UTF-8", "LC_ALL": ""}
    env.pop("PORTALWERK_TEST_PAUSE_AT", None)
    if pause_at:
        env.update(PORTALWERK_TEST_PAUSE_AT=pause_at, PORTALWERK_TEST_PAUSE_FILE=pause_file)
    return env


def _paused(process: subprocess.Popen, marker: Path) -> int:
    """The backend pid of the process once it waits inside its step."""
    deadline = time.monotonic() + 90
    while not marker.exists():
        if process.poll() is not None:
            pytest.fail(f"the onboarding ended before pausing: {process.communicate()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the onboarding never reached its pause")
        time.sleep(0.05)
    return int(marker.read_text())


def _backend_gone(pid: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone() is None:
                return
        time.sleep(0.05)
    pytest.fail(f"backend {pid} still there")


def _remove() -> None:
    if Tenant.objects.filter(slug=SLUG).exists():
        services.delete_tenant(actor=system("test"), slug=SLUG)
    schemas.drop_schema(SCHEMA)
    LifecycleRun.objects.filter(slug=SLUG).delete()
    with connection.cursor() as cursor:  # the invitation mails deferred (no worker runs here)
        cursor.execute("DELETE FROM procrastinate_jobs WHERE args->>'schema_name' = %s", [SCHEMA])


@pytest.fixture
def cleanup(live_db):
    _remove()
    yield
    _remove()


def _assert_complete() -> None:
    assert Tenant.objects.filter(slug=SLUG).count() == 1
    tenant = Tenant.objects.get(slug=SLUG)
    assert tenant.status == TenantStatus.ACTIVE
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 't_kill%%'")
        assert cursor.fetchone()[0] == 1
    assert schemas.schemas_behind([SCHEMA]) == []
    with schema_context(SCHEMA):
        admins = list(User.objects.filter(role=Role.TENANT_ADMIN).values_list("email", flat=True))
    assert admins == ["chef@killdorf.example"]
    mails = [
        job
        for job in ProcrastinateJob.objects.filter(task_name__endswith="send_account_mail")
        if job.args.get("schema_name") == SCHEMA
    ]
    assert len(mails) == 1
    [run] = LifecycleRun.objects.filter(slug=SLUG)
    assert run.state == "done"
    assert {s.name: s.state for s in run.steps.all()} == {
        "record": "done",
        "terraform": "skipped",
        "schema": "done",
        "content": "skipped",
        "admin": "done",
        "activate": "done",
    }


@pytest.mark.parametrize("step", ["record", "schema", "admin"])
def test_sigkill_inside_a_step_then_resume_completes_the_tenant(cleanup, tmp_path, step):
    # given an onboarding process stopped inside the step, its transaction open
    pause = str(tmp_path / "pause")
    process = subprocess.Popen(
        [CLI, *ONBOARD], env=_env(step, pause), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    pid = _paused(process, Path(pause + ".paused"))
    assert LifecycleStep.objects.get(run__slug=SLUG, name=step).state == "running"
    # when it is killed, and its PostgreSQL session has ended
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    _backend_gone(pid)
    # then nothing of the step is there (no half schema), and the run says where it stopped
    if step == "schema":
        assert not schemas.schema_exists(SCHEMA)
    # and running it again completes the tenant, without duplicates
    again = subprocess.run(
        [CLI, "tenants", "onboard", SLUG, "--resume", "--wait"],
        env=_env(), capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert f"{step:<10} running" in again.stdout
    _assert_complete()
    assert LifecycleStep.objects.get(run__slug=SLUG, name=step).attempts == 2


@pytest.mark.parametrize("step", ["schema", "admin"])
def test_a_connection_cut_inside_a_step_fails_it_resumably(cleanup, tmp_path, step):
    # given an onboarding process stopped inside the step
    pause = str(tmp_path / "pause")
    process = subprocess.Popen(
        [CLI, *ONBOARD], env=_env(step, pause), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    pid = _paused(process, Path(pause + ".paused"))
    # when PostgreSQL ends its session, and the process goes on
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    _backend_gone(pid)
    Path(pause + ".go").touch()
    out, err = process.communicate(timeout=120)
    # then the process says in one line that the step stopped and how to go on
    assert process.returncode == 1, (out, err)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "--resume" in err
    failed = LifecycleStep.objects.get(run__slug=SLUG, name=step)
    assert failed.state == "failed" and "database connection was lost" in failed.message
    if step == "schema":
        assert not schemas.schema_exists(SCHEMA)
    # and resuming completes the tenant, without duplicates
    again = subprocess.run(
        [CLI, "tenants", "onboard", SLUG, "--resume", "--wait"],
        env=_env(), capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    _assert_complete()
