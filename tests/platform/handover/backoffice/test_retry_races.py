"""Twenty clerks clicking "Try again" on one failed delivery at once, each on its own database
connection (committed data, `live_db`): one attempt is scheduled, nineteen are told it is on
its way, and the receiver holds the parcel once."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import anonymous, from_user
from portalwerk.platform.handover import services, targets
from portalwerk.platform.handover.models import Delivery, Target
from portalwerk.tenants.models import Tenant
from tests.helpers.forms import PERSON_STEP, delete_forms_data, make_submission, publish_form
from tests.helpers.forms import run_jobs as run_deferred
from tests.platform.handover.backoffice.conftest import PERSON

CLICKS = 20


@pytest.fixture
def committed_failure(live_db, loopback_backend, receiver, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    tenant = Tenant.objects.get(slug="alpha")
    with schema_context(tenant.schema_name):
        admin = User.objects.create_user(
            "race-admin@alpha.example", "x" * 12, role=Role.TENANT_ADMIN
        )
        form = publish_form(admin, "race", {"de": "R", "en": "R"}, {"steps": [PERSON_STEP]})
        targets.add_target(
            actor=from_user(admin),
            backend="loopback",
            name="Receiver",
            config={"url": receiver.url, "token": receiver.token, "timeout": "3"},
            form_ids=[form.pk],
        )
        submission = make_submission(form, anonymous(), PERSON)
        Delivery.objects.filter(submission=submission).update(status="failed", attempts=2)
        _drop_jobs(tenant)
        yield tenant, admin, Delivery.objects.get(submission=submission)
        Delivery.objects.all().delete()
        Target.objects.all().delete()
        delete_forms_data()
        Entry.objects.all().delete()
        User.objects.filter(email="race-admin@alpha.example").delete()
    _drop_jobs(tenant)
    connection.set_schema_to_public()


def _drop_jobs(tenant) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_jobs WHERE args->>'schema_name' = %s", [tenant.schema_name]
        )


def test_twenty_retries_at_once_schedule_one_attempt_and_deliver_once(committed_failure, receiver):
    tenant, admin, delivery = committed_failure
    barrier = threading.Barrier(CLICKS)
    outcomes: list[str] = []

    def click():
        try:
            connection.set_schema(tenant.schema_name)
            connection.ensure_connection()
            barrier.wait(timeout=60)
            services.retry_delivery(actor=from_user(admin), delivery_id=delivery.pk)
            outcomes.append("retried")
        except ValidationError as exc:
            outcomes.append(next(iter(exc.error_dict.values()))[0].code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(CLICKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert Counter(outcomes) == {"retried": 1, "not_failed": CLICKS - 1}
    with schema_context(tenant.schema_name):
        assert Entry.objects.filter(action="delivery.retried").count() == 1
        assert len(run_deferred("deliver")) == 1
        assert Delivery.objects.get(pk=delivery.pk).status == "delivered"
    assert list(receiver.parcels) == [str(delivery.key)]
