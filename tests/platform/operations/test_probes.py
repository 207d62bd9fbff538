"""/healthz and /readyz, asked as Kubernetes asks: a GET by pod IP, whatever Host header, before
any tenant routing. /readyz says for each check whether it passes and, if not, why; 503 when one
fails."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from procrastinate.contrib.django import app

from portalwerk.platform.handover import sending
from portalwerk.platform.handover.models import Delivery, DeliveryStatus, Target
from tests.helpers.forms import (
    FEE_ANSWERS,
    FISHING_LICENCE,
    PERSON_STEP,
    make_submission,
    publish_form,
)
from tests.platform.operations.conftest import probe, register_worker

pytestmark = pytest.mark.django_db

CHECKS = {"database", "migrations", "worker", "job_queue", "handover_dead_letters"}


def failing(answer) -> dict[str, str]:
    return {
        name: check["reason"]
        for name, check in answer.json()["checks"].items()
        if check["status"] != "ok"
    }


def test_healthz_answers_by_pod_ip_without_tenant_routing():
    # when a liveness probe asks by pod IP, on a host no tenant has, and on a tenant's host
    by_ip = probe("/healthz")
    on_tenant = probe("/healthz", host="alpha.localhost")
    # then both answer the same small JSON, not the unknown-host page
    assert by_ip.status == 200 and by_ip.json() == {"status": "ok"}
    assert on_tenant.status == 200 and on_tenant.json() == {"status": "ok"}
    assert "no-cache" in by_ip.headers["Cache-Control"]
    # while any other path on that IP is still the unknown-host page
    assert probe("/").status == 404


def test_readyz_is_ready_with_every_check_passing(worker_alive):
    answer = probe("/readyz")
    assert answer.status == 200, answer.text
    body = answer.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == CHECKS
    assert all(check["status"] == "ok" for check in body["checks"].values())


def test_a_stale_worker_heartbeat_makes_it_not_ready_and_says_so(db, settings):
    settings.PORTALWERK_READY_WORKER_SECONDS = 120
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_workers")
    # given no worker at all
    answer = probe("/readyz")
    assert answer.status == 503 and answer.json()["status"] == "not ready"
    assert failing(answer) == {"worker": "no job worker is registered: start `portalwerk worker`"}
    # given a worker whose last heartbeat is five minutes old
    register_worker(age_seconds=300)
    answer = probe("/readyz")
    assert answer.status == 503
    reason = failing(answer)["worker"]
    assert "heartbeat is 300 s old" in reason and "limit 120 s" in reason
    # and once a worker beats again, it is ready
    register_worker(age_seconds=1)
    assert probe("/readyz").status == 200


def test_a_job_waiting_too_long_makes_it_not_ready(worker_alive, settings):
    settings.PORTALWERK_READY_JOB_WAIT_SECONDS = 900
    # given a job due for half an hour that no worker has taken
    app.configure_task(
        "portalwerk.platform.jobs.recover_stalled_jobs",
        queue="maintenance",
        schedule_at=timezone.now() - datetime.timedelta(minutes=30),
    ).defer(timestamp=0)
    # when asked
    answer = probe("/readyz")
    # then the job queue check fails, naming the task, its queue, the wait and the limit
    assert answer.status == 503
    reason = failing(answer)["job_queue"]
    assert "portalwerk.platform.jobs.recover_stalled_jobs" in reason
    assert "queue maintenance" in reason and "limit 900 s" in reason
    assert int(reason.split("has waited ")[1].split(" s")[0]) >= 1800
    # a job scheduled for later is not late
    with connection.cursor() as cursor:
        cursor.execute("UPDATE procrastinate_jobs SET scheduled_at = now() + interval '1 hour'")
    assert probe("/readyz").status == 200


def _failed_delivery(tenant, tenant_admin, citizen, slug: str) -> Delivery:
    form = publish_form(tenant_admin, slug, FISHING_LICENCE, {"steps": [PERSON_STEP]})
    target = Target.objects.create(name="Fachverfahren", backend="recording")
    target.config = {"fail": "refused"}
    target.save()
    target.forms.add(form)
    submission = make_submission(form, citizen, {"person": FEE_ANSWERS["person"]})
    delivery = Delivery.objects.get(submission=submission)
    assert sending.send(delivery.pk, job_id=None) == DeliveryStatus.FAILED
    return delivery


@pytest.fixture
def recording_backend(settings):
    settings.PORTALWERK_PLUGINS = {
        **settings.PORTALWERK_PLUGINS,
        "handover": ["tests.platform.handover.recording"],
    }


def test_dead_letters_above_the_limit_make_it_not_ready(
    worker_alive, settings, recording_backend, tenant_a, tenant_admin, citizen
):
    settings.PORTALWERK_READY_MAX_DEAD_LETTERS = 1
    # given one delivery that failed for good: at the limit, still ready
    with schema_context(tenant_a.schema_name):
        first = _failed_delivery(tenant_a, tenant_admin, citizen, "angeln")
    assert probe("/readyz").status == 200
    # when a second one fails for good
    with schema_context(tenant_a.schema_name):
        _failed_delivery(tenant_a, tenant_admin, citizen, "fischen")
    answer = probe("/readyz")
    # then it is not ready, and says how many, where, and the limit (no citizen's data)
    assert answer.status == 503
    reason = failing(answer)["handover_dead_letters"]
    assert reason == (
        "2 hand-over deliveries failed for good in 1 tenant(s) (limit 1); most in alpha (2)"
    )
    assert FEE_ANSWERS["person"]["last_name"] not in answer.text
    # when a clerk tries one again, the tally follows at once
    from portalwerk.platform.authz.actors import from_user
    from portalwerk.platform.handover.services import retry_delivery

    with schema_context(tenant_a.schema_name):
        retry_delivery(actor=from_user(tenant_admin), delivery_id=first.pk)
    assert probe("/readyz").status == 200


def test_a_template_schema_missing_a_migration_makes_it_not_ready(worker_alive):
    # given the template schema (every new tenant's clone source) lacks one migration
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM tenant_template.django_migrations "
            "WHERE app = 'operations' AND name = '0001_initial'"
        )
    # when asked
    answer = probe("/readyz")
    # then it names the schema and the way out
    assert answer.status == 503
    assert failing(answer) == {
        "migrations": "schema(s) tenant_template lack migrations of this release: "
        "run `portalwerk tenants migrate`"
    }


def test_one_check_can_be_asked_alone(db):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_workers")
    # a Kubernetes readiness probe that only wants the database and the migrations
    answer = probe("/readyz?check=database&check=migrations")
    assert answer.status == 200
    assert set(answer.json()["checks"]) == {"database", "migrations"}
    # an unknown name is not "ready"
    assert probe("/readyz?check=nonsense").status == 503
