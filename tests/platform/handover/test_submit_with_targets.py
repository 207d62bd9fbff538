"""A submit does the same work however many targets its form has: one delivery row per target
and one job each, written together, and no receiver talked to."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from portalwerk.platform.handover.models import Delivery
from tests.helpers.forms import jobs
from tests.platform.handover.webhook_helpers import submit_photo_form, webhook_target

DELIVER = "handover.tasks.deliver"


def _queries_of_a_submit(form) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        submission = submit_photo_form(form, photo=False)
    return len(queries), submission


def test_a_submit_to_ten_targets_costs_what_a_submit_to_one_costs(tenant_a, photo_form, receiver):
    with schema_context(tenant_a.schema_name):
        # given a form with one target
        webhook_target(receiver.url, name="first")
        submit_photo_form(photo_form, photo=False)  # the first submit fills caches
        one, _first = _queries_of_a_submit(photo_form)
        # when it has ten
        for n in range(9):
            webhook_target(receiver.url, name=f"more {n}")
        ten, submission = _queries_of_a_submit(photo_form)
        # then the submit makes the same number of queries, and ten deliveries with a job each
        assert ten == one
        made = Delivery.objects.filter(submission=submission)
        assert made.count() == 10 and {d.status for d in made} == {"pending"}
        waiting = [job["delivery_id"] for job in jobs(DELIVER)]
        assert sorted(d.pk for d in made) == sorted(set(waiting) & {d.pk for d in made})
    # and nothing was sent during the submit
    assert receiver.requests == 0
