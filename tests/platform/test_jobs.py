"""Jobs carry their tenant's schema and run in it: proven with a real procrastinate worker."""

import pytest
from django.core import mail
from django.db import connection, transaction
from django_tenants.utils import schema_context
from procrastinate.contrib.django import app

from portalwerk.platform.accounts.models import User
from portalwerk.platform.accounts.tasks import send_account_mail
from portalwerk.platform.jobs import defer_for_tenant
from portalwerk.tenants.models import Tenant

SAME_ID = 987654


@pytest.fixture
def tenants(live_db):
    # Not the `tenant_a`/`tenant_b` fixtures: they wrap the test in a transaction, and the
    # worker must see committed jobs.
    return Tenant.objects.get(slug="alpha"), Tenant.objects.get(slug="beta")


@pytest.fixture
def same_id_users(tenants):
    """One user in each tenant, both with the same primary key, different addresses."""
    made = []
    for tenant, email in zip(tenants, ["anna@alpha.example", "bert@beta.example"], strict=True):
        with schema_context(tenant.schema_name):
            User.objects.create(pk=SAME_ID, email=email)
            made.append(tenant)
    yield
    for tenant in made:
        with schema_context(tenant.schema_name):
            User.objects.filter(pk=SAME_ID).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_jobs WHERE task_name LIKE %s", ["%send_account_mail"]
        )


def run_worker() -> None:
    with app.replace_connector(app.connector.get_worker_connector()):
        app.run_worker(
            queues=["mail"], wait=False, install_signal_handlers=False, listen_notify=False
        )


def test_job_deferred_for_a_tenant_reads_that_tenants_data(same_id_users, tenants):
    tenant_a, tenant_b = tenants
    # given a job deferred in tenant A's schema and one in tenant B's, for the same user id
    mail.outbox.clear()
    with schema_context(tenant_a.schema_name), transaction.atomic():
        defer_for_tenant(send_account_mail, user_id=SAME_ID, subject="A", body="for A")
    with schema_context(tenant_b.schema_name), transaction.atomic():
        defer_for_tenant(send_account_mail, user_id=SAME_ID, subject="B", body="for B")
    # when a worker runs them
    run_worker()
    # then each job found its own tenant's user, and each mail names its own tenant
    sent = {message.subject: message.to for message in mail.outbox}
    assert sent == {
        "A – Stadt Alpha": ["anna@alpha.example"],
        "B – Gemeinde Beta": ["bert@beta.example"],
    }
    assert connection.schema_name == "public"


def test_job_deferred_in_a_rolled_back_transaction_never_runs(same_id_users, tenants):
    tenant_a = tenants[0]
    mail.outbox.clear()
    with schema_context(tenant_a.schema_name):
        try:
            with transaction.atomic():
                defer_for_tenant(send_account_mail, user_id=SAME_ID, subject="A", body="x")
                raise RuntimeError("the write that caused the job failed")
        except RuntimeError:
            pass
    run_worker()
    assert mail.outbox == []


def test_deferring_without_a_tenant_schema_is_refused(live_db):
    with pytest.raises(RuntimeError):
        defer_for_tenant(send_account_mail, user_id=1, subject="x", body="x")
