"""Exactly one submission under real concurrent requests (two connections, committed rows)."""

import threading

import pytest
from django.db import connection, connections
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.authz.actors import anonymous
from portalwerk.platform.forms import services
from portalwerk.platform.forms.models import ReferenceSequence, Submission
from portalwerk.tenants.models import Tenant
from tests.helpers.forms import DEFINITION, delete_forms_data, png, publish_form


@pytest.fixture
def committed_draft(live_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    tenant = Tenant.objects.get(slug="alpha")
    with schema_context(tenant.schema_name):
        clerk = User.objects.create_user("race-clerk@alpha.example", role=Role.CLERK_PROCESSOR)
        form = publish_form(clerk, "race", {"de": "Wettlauf"}, DEFINITION)
        draft = services.start_draft(actor=anonymous(), form=form)
        services.save_step(
            actor=anonymous(),
            draft=draft,
            step_key="person",
            raw={"first_name": "A", "last_name": "B", "email": "a@example.com"},
        )
        services.save_step(
            actor=anonymous(), draft=draft, step_key="dog", raw={"has_dog": "yes", "dog_name": "R"}
        )
        upload = services.store_upload(
            actor=anonymous(), draft=draft, field_key="photo", file=png()
        )
        services.save_step(
            actor=anonymous(), draft=draft, step_key="documents", raw={"photo": str(upload.pk)}
        )
        services.save_step(actor=anonymous(), draft=draft, step_key="confirm", raw={"truth": True})
    yield tenant, draft
    with schema_context(tenant.schema_name):
        delete_forms_data()
        User.objects.filter(email="race-clerk@alpha.example").delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs WHERE task_name LIKE '%forms.tasks%'")


@pytest.mark.parametrize("same_key", [True, False], ids=["retried request", "double click"])
def test_concurrent_submits_of_one_draft_make_one_submission(committed_draft, same_key):
    tenant, draft = committed_draft
    barrier = threading.Barrier(4)
    results, errors = [], []

    def submit(n: int) -> None:
        try:
            with schema_context(tenant.schema_name):
                barrier.wait(timeout=10)
                made = services.submit_draft(
                    actor=anonymous(), draft=draft, idempotency_key="same" if same_key else f"k{n}"
                )
                results.append(made.reference)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    # given four requests for the same draft at the same moment, each on its own connection
    threads = [threading.Thread(target=submit, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then all four answer with the one submission that was made
    assert errors == []
    assert len(set(results)) == 1 and len(results) == 4
    with schema_context(tenant.schema_name):
        assert Submission.objects.count() == 1
        assert ReferenceSequence.objects.get().last == 1
