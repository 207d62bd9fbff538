"""A real worker's lines name the job (task, id, tenant) and its outcome, never its arguments,
which for a mail job hold the mail's text."""

from __future__ import annotations

import json
import logging

import pytest
from django.db import connection, transaction
from django_tenants.utils import schema_context
from procrastinate.contrib.django import app

from portalwerk.platform.accounts.models import User
from portalwerk.platform.accounts.tasks import send_account_mail
from portalwerk.platform.jobs import defer_for_tenant
from portalwerk.platform.worker import TASK_MIDDLEWARE
from portalwerk.tenants.models import Tenant
from tests.components import free_port

EMAIL = "jobs-log-person@beispiel-post.example"
BODY = "Guten Tag Hildegard Wannemacher, Ihr Antrag zur Lindenallee 17b ist eingegangen."


@pytest.fixture
def recipient(live_db):
    tenant = Tenant.objects.get(slug="alpha")
    with schema_context(tenant.schema_name):
        user = User.objects.create(email=EMAIL)
    yield tenant, user
    with schema_context(tenant.schema_name):
        User.objects.filter(pk=user.pk).delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs WHERE args->>'user_id' = %s", [str(user.pk)])


def _run_worker() -> None:
    with app.replace_connector(app.connector.get_worker_connector()):
        app.run_worker(
            queues=["mail"],
            wait=False,
            install_signal_handlers=False,
            listen_notify=False,
            task_middleware=TASK_MIDDLEWARE,
        )


def test_a_mail_job_logs_task_id_tenant_and_outcome_but_not_its_text(recipient, log_lines):
    tenant, user = recipient
    # given a mail job deferred in tenant alpha, whose arguments hold personal data
    with schema_context(tenant.schema_name), transaction.atomic():
        job_id = defer_for_tenant(
            send_account_mail, user_id=user.pk, subject="Ihr Antrag", body=BODY
        )
    # when a worker runs it, with procrastinate's own lines at their most talkative
    procrastinate = logging.getLogger("procrastinate")
    level = procrastinate.level
    procrastinate.setLevel(logging.DEBUG)
    try:
        _run_worker()
    finally:
        procrastinate.setLevel(level)
    # then one line says the job finished, with its task, id, tenant, queue and duration
    lines = log_lines()
    [finished] = [line for line in lines if line["event"] == "job_finished"]
    assert finished["task"] == send_account_mail.name and finished["job_id"] == job_id
    assert finished["tenant"] == "alpha" and finished["queue"] == "mail"
    assert finished["attempt"] == 1 and finished["duration_ms"] >= 0
    # and procrastinate's own lines about the job name it by id and task, under their action
    about_job = [line for line in lines if line.get("job_id") == job_id]
    assert {"start_job", "job_success"} <= {line["event"] for line in about_job}
    assert all(line["task"] == send_account_mail.name for line in about_job)
    # and no line holds the mail's text or the address
    assert "Wannemacher" not in lines.text and "Lindenallee" not in lines.text
    assert EMAIL not in lines.text


def test_a_failed_job_is_logged_and_reported_with_its_tags_but_not_its_text(
    recipient, log_lines, sentry, settings
):
    tenant, user = recipient
    # given a mail job, and a mail server that is not there
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    with schema_context(tenant.schema_name), transaction.atomic():
        job_id = defer_for_tenant(
            send_account_mail, user_id=user.pk, subject="Ihr Antrag", body=BODY
        )
    # when a worker runs it
    _run_worker()
    sentry.flush()
    # then the job log says each attempt failed (the job retries at once), and why, by the
    # exception's type
    failed = [
        line for line in log_lines() if line["event"] == "job_failed" and line["job_id"] == job_id
    ]
    assert [line["attempt"] for line in failed] == list(range(1, len(failed) + 1))
    assert {(line["task"], line["tenant"]) for line in failed} == {
        (send_account_mail.name, "alpha")
    }
    assert all("ConnectionRefusedError" in line["exception"] for line in failed)
    # and Sentry has an event for each, tagged with the task, job and tenant
    events = [e for e in sentry.events() if e["tags"].get("job_id") == str(job_id)]
    assert len(events) == len(failed)
    assert {(e["tags"]["task"], e["tags"]["tenant"]) for e in events} == {
        (send_account_mail.name, "alpha")
    }
    # and neither holds the mail's text or the address
    for text in (log_lines().text, json.dumps(events)):
        assert "Wannemacher" not in text and EMAIL not in text
