"""A database connection that has used PORTALWERK_DB_MAX_TENANTS_PER_CONNECTION schemas is
replaced (a new PostgreSQL server process: another backend pid) when its request or job ends,
and not before: each server process keeps the catalogue of every tenant it touched."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django_tenants.utils import schema_context
from procrastinate.contrib.django import app

from portalwerk.platform.jobs import defer_for_tenant, tenant_task
from portalwerk.platform.worker import TASK_MIDDLEWARE
from portalwerk.tenants.connections import recycle_if_spread
from portalwerk.tenants.models import Tenant
from tests.conftest import TenantClient, host_of

QUEUE = "recycling-test"
SEEN: list[tuple[int, int, int]] = []  # (thread, backend pid, schemas used before the job)


@tenant_task(queue=QUEUE)
def note_backend() -> None:
    used = len(connection.schemas_used)
    SEEN.append((threading.get_ident(), _pid(), used))


def _pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _touch(schema: str) -> None:
    with schema_context(schema), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_user")


@pytest.fixture
def fresh_connection(live_db):
    connection.close()
    yield
    connection.close()


def test_the_connection_is_replaced_once_it_used_the_maximum_of_schemas(fresh_connection, settings):
    # given at most 3 schemas per connection, and a connection that used public and one tenant
    settings.PORTALWERK_DB_MAX_TENANTS_PER_CONNECTION = 3
    first = _pid()
    _touch("t_alpha")
    assert connection.schemas_used == {"public", "t_alpha"}
    # when its work ends, it is kept
    assert recycle_if_spread() is False
    assert _pid() == first
    # when it used a third schema, it is closed at the end of that work
    _touch("t_beta")
    assert recycle_if_spread() is True
    # then the next query runs on another server process, which has used nothing yet
    assert _pid() != first
    assert connection.schemas_used == {"public"}


def test_a_connection_inside_a_transaction_is_not_closed(fresh_connection, settings):
    settings.PORTALWERK_DB_MAX_TENANTS_PER_CONNECTION = 2
    with transaction.atomic():
        first = _pid()
        _touch("t_alpha")
        assert recycle_if_spread() is False
        assert _pid() == first


def test_a_request_that_reaches_the_maximum_leaves_a_new_connection_behind(
    fresh_connection, settings
):
    portal = TenantClient(host_of(Tenant.objects.get(slug="alpha")))  # no wrapping transaction
    # given a generous maximum: a request to a tenant's portal keeps the connection
    settings.PORTALWERK_DB_MAX_TENANTS_PER_CONNECTION = 100
    first = _pid()
    assert portal.get("/").status_code == 200
    assert _pid() == first
    # when the maximum is the number of schemas such a request uses (public, the tenant's)
    settings.PORTALWERK_DB_MAX_TENANTS_PER_CONNECTION = len(connection.schemas_used)
    assert portal.get("/").status_code == 200
    # then the request closed it as it finished
    assert connection.connection is None
    assert _pid() != first


def test_the_worker_replaces_its_connection_after_the_job_that_reached_the_maximum(
    fresh_connection, settings
):
    # given three jobs in three tenants; each uses public (is the tenant still there?) and its
    # own schema, so the second job brings the worker's connection to 3 schemas
    settings.PORTALWERK_DB_MAX_TENANTS_PER_CONNECTION = 3
    SEEN.clear()
    job_ids = []
    for slug in ("alpha", "beta", "testland"):
        with schema_context(f"t_{slug}"), transaction.atomic():
            job_ids.append(defer_for_tenant(note_backend))
    try:
        # when a worker runs them one after the other
        with app.replace_connector(app.connector.get_worker_connector()):
            app.run_worker(
                queues=[QUEUE],
                wait=False,
                install_signal_handlers=False,
                listen_notify=False,
                task_middleware=TASK_MIDDLEWARE,
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM procrastinate_jobs WHERE id = ANY(%s)", [job_ids])
    # then (in the one thread the worker ran them in) the first two shared a connection and
    # the third started on a fresh one
    assert len(SEEN) == 3
    assert len({thread for thread, _pid, _used in SEEN}) == 1
    (_t1, pid1, used1), (_t2, pid2, used2), (_t3, pid3, used3) = SEEN
    assert pid1 == pid2 != pid3
    assert used2 == 2 and used3 == 1  # only public, for this job's own check
