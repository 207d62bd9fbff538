"""A mail job is safe to retry: proven with real `portalwerk worker` processes on the test
database and a real SMTP server. A worker killed with SIGKILL after its mail went out leaves
the job in "doing"; another worker's stalled-job recovery retries it, and the recipient still
gets the mail once. Two senders of the same mail at the same moment (a paused worker whose job
was taken over) send it once."""

from __future__ import annotations

import os
import signal
import threading

import pytest
from django.db import connection, connections
from django_tenants.utils import schema_context

from portalwerk.platform import mail
from portalwerk.tenants.models import Tenant
from tests.helpers.workers import Workers, forget_jobs_after, last_job_id, wait_for

TASK = "tests.mail_tasks.mail_then_wait"


@pytest.fixture
def alpha(live_db):
    """Tenant alpha, outside a test transaction (the workers must see the job), cleaned up."""
    before = last_job_id()
    tenant = Tenant.objects.get(slug="alpha")
    yield tenant
    forget_jobs_after(before)  # the workers' periodic jobs and their bookkeeping, and our job
    with schema_context(tenant.schema_name), connection.cursor() as cursor:
        cursor.execute("DELETE FROM mail_sentmail")


@pytest.fixture
def workers(smtp):
    start = Workers(
        ["mailfaults"],
        {
            # a real SMTP server
            "PORTALWERK_EXTRA_TASK_MODULES": "tests.helpers.mail_tasks",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "EMAIL_USE_TLS": "0",
        },
    )
    yield start
    start.stop_all()


def job_states() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status::text FROM procrastinate_jobs WHERE task_name = %s ORDER BY id", [TASK]
        )
        return [status for (status,) in cursor.fetchall()]


def attempts() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(attempts) FROM procrastinate_jobs WHERE task_name = %s", [TASK])
        return cursor.fetchone()[0] or 0


def test_a_mail_job_retried_after_its_worker_was_killed_mails_once(alpha, workers, smtp):
    from tests.helpers.mail_tasks import mail_then_wait

    # given a worker running a mail job that has sent its mail and is not done yet
    first = workers()
    with schema_context(alpha.schema_name):
        mail_then_wait.defer(schema_name=alpha.schema_name, to="erika@example.org", seconds=4)
    try:
        wait_for(lambda: smtp.count() == 1, 60, "the first worker to send the mail")
    except AssertionError:
        first.kill()
        raise AssertionError(f"{job_states()}; the worker said: {first.stdout.read()}") from None
    # when the worker is killed with SIGKILL, and another worker takes the stalled job over
    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)
    second = workers()
    wait_for(lambda: job_states() == ["succeeded"], 60, "the retried job to be done")
    # then the job ran again, and the recipient has the mail once, from their authority
    assert attempts() >= 1
    assert smtp.count() == 1
    message = smtp.messages[0]
    assert message["To"] == "erika@example.org"
    assert "Stadt Alpha" in str(message["From"]) or "Stadt_Alpha" in str(message["From"])
    second.send_signal(signal.SIGTERM)
    assert second.wait(20) == 0


def test_two_senders_of_the_same_mail_at_once_send_it_once(alpha, smtp_backend):
    # given an SMTP server that takes a second to accept a message
    smtp_backend.delay = 1.0
    results: list[str] = []

    def send() -> None:
        try:
            with schema_context(alpha.schema_name):
                results.append(
                    mail.send(
                        idempotency_key="appointment-reminder:4711",
                        to="erika@example.org",
                        language="de",
                        subject="Erinnerung",
                        body="Morgen um 10 Uhr.",
                    )
                )
        finally:
            connections.close_all()

    # when two workers send the same logical mail at the same moment, each on its own
    # database connection
    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    # then both report it sent, and it arrived once
    assert results == ["erika@example.org", "erika@example.org"]
    assert smtp_backend.count() == 1
