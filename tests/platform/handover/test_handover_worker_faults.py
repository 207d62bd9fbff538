"""Exactly once towards the receiver, proven with real `portalwerk worker` processes on the test
database and a real webhook receiver: a worker killed (SIGKILL) while the receiver holds its
request, a receiver that stores and then answers too late, 20 retries of one delivery at once,
and a submit while the receiver is down. Each ends with the receiver holding the parcel once
and the delivery "delivered"."""

from __future__ import annotations

import re
import signal
import socket
import threading

import pytest
from django.db import connection, connections
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.handover import outbox, sending
from portalwerk.platform.handover.models import Delivery, Target
from portalwerk.tenants.models import Tenant
from tests.conftest import PASSWORD, TenantClient, host_of
from tests.helpers.forms import delete_forms_data
from tests.helpers.workers import Workers, forget_jobs_after, last_job_id, wait_for
from tests.platform.handover.receiver import Receiver
from tests.platform.handover.webhook_helpers import (
    SECRET,
    publish_photo_form,
    submit_photo_form,
    webhook_target,
)

DELIVER = "portalwerk.platform.handover.tasks.deliver"


@pytest.fixture
def alpha(live_db, settings, tmp_path):
    """Tenant alpha with a published form, outside a test transaction (the workers must see
    what the test writes); everything made is removed afterwards."""
    settings.MEDIA_ROOT = tmp_path / "media"
    before = last_job_id()
    tenant = Tenant.objects.get(slug="alpha")
    with schema_context(tenant.schema_name):
        clerk = User.objects.create_user(
            "handover-clerk@alpha.example", PASSWORD, role=Role.CLERK_PROCESSOR, full_name="C"
        )
        form = publish_photo_form(clerk)
    yield tenant, form
    forget_jobs_after(before)
    with schema_context(tenant.schema_name):
        Delivery.objects.all().delete()
        Target.objects.all().delete()
        delete_forms_data()
        User.objects.filter(pk=clerk.pk).delete()


@pytest.fixture
def workers(tmp_path):
    start = Workers(
        ["handover"],
        {
            # a failed attempt comes back within a second or two, not half a minute
            "PORTALWERK_HANDOVER_BACKOFF_SECONDS": "1",
            "PORTALWERK_HANDOVER_BACKOFF_MAX_SECONDS": "2",
            "PORTALWERK_HOME": str(tmp_path / "worker-home"),
        },
    )
    yield start
    start.stop_all()


def delivery_of(tenant, submission) -> Delivery:
    with schema_context(tenant.schema_name):
        return Delivery.objects.get(submission_id=submission.pk)


def deliver_jobs() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status::text FROM procrastinate_jobs WHERE task_name = %s ORDER BY id",
            [DELIVER],
        )
        return [status for (status,) in cursor.fetchall()]


def said(process) -> str:
    process.kill()
    return process.stdout.read()[-4000:]


def test_a_worker_killed_mid_delivery_is_taken_over_and_the_receiver_holds_it_once(
    alpha, workers, receiver
):
    tenant, form = alpha
    # given a receiver that stores the parcel and then keeps the request open
    receiver.hold()
    with schema_context(tenant.schema_name):
        webhook_target(receiver.url, timeout=30)
        submission = submit_photo_form(form, photo=False)
    first = workers()
    try:
        wait_for(lambda: receiver.count() == 1, 60, "the first worker to send the parcel")
    except AssertionError:
        raise AssertionError(f"{deliver_jobs()}; the worker said: {said(first)}") from None
    # when the worker is killed with SIGKILL before it hears the answer
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert delivery_of(tenant, submission).status == "sending"
    receiver.release()
    # and another worker comes, whose stalled-job recovery retries the killed one's job
    second = workers()
    try:
        wait_for(lambda: delivery_of(tenant, submission).status == "delivered", 60, "the delivery")
    except AssertionError:
        raise AssertionError(f"{deliver_jobs()}; the worker said: {said(second)}") from None
    # then the parcel was sent again with the same key, and the receiver holds it once
    delivery = delivery_of(tenant, submission)
    assert receiver.requests == 2 and receiver.count() == 1
    assert delivery.receiver_reference == "CASE-1" and delivery.attempts == 2
    assert delivery.claimed_by_job is None
    assert deliver_jobs() == ["succeeded"]


def test_a_receiver_that_stored_it_but_answered_too_late_holds_it_once(alpha, workers, receiver):
    tenant, form = alpha
    # given a receiver that stores the first parcel and answers only after the time limit
    receiver.slow(3)
    with schema_context(tenant.schema_name):
        webhook_target(receiver.url, timeout=1)
        submission = submit_photo_form(form, photo=False)
    # when a worker delivers it
    worker = workers()
    try:
        wait_for(lambda: delivery_of(tenant, submission).status == "delivered", 60, "the delivery")
    except AssertionError:
        raise AssertionError(f"{deliver_jobs()}; the worker said: {said(worker)}") from None
    # then it was tried again after the timeout, and the receiver holds it once
    delivery = delivery_of(tenant, submission)
    assert receiver.requests == 2 and receiver.count() == 1
    assert delivery.attempts == 2 and delivery.receiver_reference == "CASE-1"
    assert deliver_jobs() == ["succeeded", "succeeded"]


def test_twenty_retries_of_one_delivery_at_once_deliver_it_once(alpha, receiver):
    tenant, form = alpha
    # given a delivery whose first attempt failed (the receiver had an error)
    receiver.fail(503)
    with schema_context(tenant.schema_name):
        webhook_target(receiver.url, timeout=10)
        submission = submit_photo_form(form, photo=False)
        delivery = Delivery.objects.get(submission=submission)
        assert sending.send(delivery.pk, job_id=None) == "pending"
    receiver.answer_delay = 0.5  # every sender is in the middle of it at the same moment
    barrier = threading.Barrier(20)
    results: list[str] = []

    def retry() -> None:
        try:
            with schema_context(tenant.schema_name):
                barrier.wait(10)
                outbox.schedule(Delivery.objects.get(pk=delivery.pk))
                results.append(sending.send(delivery.pk, job_id=None))
        finally:
            connections.close_all()

    # when 20 retries run at once, each on its own database connection
    threads = [threading.Thread(target=retry) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    # then one of them sent it, the others found it taken, and the receiver holds it once
    assert sorted(results) == ["delivered"] + ["skipped"] * 19
    assert receiver.requests == 2 and receiver.count() == 1
    with schema_context(tenant.schema_name):
        delivery.refresh_from_db()
        assert delivery.status == "delivered" and delivery.attempts == 2
        assert Delivery.objects.filter(submission=submission).count() == 1
        # and of all the retries asked for, one job waits, and it sends nothing more
        waiting = [status for status in deliver_jobs() if status == "todo"]
        assert len(waiting) == 1
        assert sending.send(delivery.pk, job_id=None) == "skipped"
    assert receiver.requests == 2


def _submit_through_the_pages(client: TenantClient, slug: str) -> str:
    """The citizen's way: start, answer each step, check, send; returns the page it ends on."""
    url = client.post(f"/forms/{slug}/")["Location"]
    base = url.rsplit("/", 2)[0]
    person = {"first_name": "Erika", "last_name": "Muster", "email": "erika@example.org"}
    assert client.post(url, person).status_code == 302
    assert client.post(f"{base}/documents/", {})["Location"] == f"{base}/check/"
    check = client.get(f"{base}/check/").content.decode()
    key = re.search(r'name="idempotency_key" value="(\w+)"', check).group(1)
    submitted = client.post(f"{base}/check/", {"idempotency_key": key})
    assert submitted.status_code == 302
    return client.get(submitted["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_submit_while_the_receiver_is_down_confirms_at_once_and_goes_through_later(
    alpha, workers
):
    tenant, form = alpha
    # given a target whose receiving system is down (nothing listens at its port)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with schema_context(tenant.schema_name):
        webhook_target(f"http://127.0.0.1:{port}/hook", timeout=2)
    worker = workers()
    # when a citizen submits through the pages
    page = _submit_through_the_pages(TenantClient(host_of(tenant)), form.slug)
    # then they are told it arrived, with its reference, without anything sent yet
    reference = re.search(r"ALP-\d{4}-\d{6}", page).group(0)
    with schema_context(tenant.schema_name):
        delivery = Delivery.objects.get(submission__reference=reference)
    assert delivery.status in ("pending", "sending")
    # and the worker's attempts fail as "unreachable", to be tried again
    try:
        wait_for(
            lambda: (
                Delivery.objects.using("default").filter(pk=delivery.pk).exists()
                and _last_problem(tenant, delivery.pk) == "unreachable"
            ),
            60,
            "a failed attempt",
        )
    except AssertionError:
        raise AssertionError(f"{deliver_jobs()}; the worker said: {said(worker)}") from None
    # when the receiving system is back
    receiver = Receiver(SECRET, port=port).start()
    try:
        wait_for(lambda: receiver.count() == 1, 60, "the delivery once the receiver is back")
        wait_for(lambda: _status(tenant, delivery.pk) == "delivered", 30, "delivered")
    finally:
        receiver.stop()
    # then it went through, once
    assert receiver.count() == 1
    assert next(iter(receiver.held.values()))["reference"] == reference


def _last_problem(tenant, pk: int) -> str:
    with schema_context(tenant.schema_name):
        return Delivery.objects.get(pk=pk).last_problem


def _status(tenant, pk: int) -> str:
    with schema_context(tenant.schema_name):
        return Delivery.objects.get(pk=pk).status
