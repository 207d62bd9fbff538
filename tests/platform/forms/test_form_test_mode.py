"""Test mode: a clerk fills in a version through the citizen's steps and submits; nothing
reaches the inbox, a hand-over target, the mail or the payment, and the page shows what would
have been submitted."""

import pytest
from django.core import mail
from django.db import connection
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.forms import services
from portalwerk.platform.forms.models import Draft, Submission, Upload
from portalwerk.platform.handover.models import Delivery
from tests.helpers.forms import png


@pytest.fixture
def clerk_client(client_for, tenant_a, clerk):
    client = client_for(tenant_a)
    client.sign_in(clerk.email)
    return client


def _jobs() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM procrastinate_jobs")
        return cursor.fetchone()[0]


def _counts(tenant) -> tuple:
    with schema_context(tenant.schema_name):
        return (
            Submission.objects.count(),
            Draft.objects.count(),
            Upload.objects.count(),
            Delivery.objects.count(),
            _jobs(),
            len(mail.outbox),
        )


def test_a_clerk_tests_a_draft_version_and_nothing_is_sent(
    clerk_client, published_form, tenant_a, clerk
):
    with schema_context(tenant_a.schema_name):
        draft = services.new_draft_version(actor=from_user(clerk), form=published_form)
    before = _counts(tenant_a)
    base = f"/backoffice/forms/{published_form.pk}/versions/{draft.number}/test/"
    intro = clerk_client.get(base, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nothing reaches the inbox" in intro
    started = clerk_client.post(base)
    assert started["Location"] == base + "person/"
    # the engine checks answers as for a citizen
    wrong = clerk_client.post(
        base + "person/",
        {"first_name": "Erika", "last_name": "", "email": "kein"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert wrong.status_code == 400 and "There is a problem" in wrong.content.decode()
    steps = [
        ("person", {"first_name": "Erika", "last_name": "Muster", "email": "erika@example.org"}),
        ("dog", {"has_dog": "yes", "dog_name": "Bello"}),
        ("documents", {"photo": png()}),
        ("confirm", {"truth": "on"}),
    ]
    for step, data in steps:
        response = clerk_client.post(base + f"{step}/", data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])
    check = clerk_client.get(base + "check/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Bello" in check and "photo.png" in check and "€30.00" in check
    result = clerk_client.post(base + "check/", HTTP_ACCEPT_LANGUAGE="en")
    page = result.content.decode()
    assert result.status_code == 200
    assert "What would have been submitted" in page and "Nothing was sent" in page
    assert "TEST" in page and "Erika Muster" in page and "erika@example.org (not sent)" in page
    assert "€30.00 (not charged)" in page and "Bello" in page
    assert _counts(tenant_a) == before  # no submission, draft, file, delivery, job or mail


def test_a_skipped_step_is_skipped_in_test_mode_too(clerk_client, published_form):
    base = f"/backoffice/forms/{published_form.pk}/versions/1/test/"
    clerk_client.post(base)
    clerk_client.post(
        base + "person/",
        {"first_name": "Erika", "last_name": "Muster", "email": "erika@example.org"},
    )
    moved_on = clerk_client.post(base + "dog/", {"has_dog": "no"})
    assert moved_on["Location"] == base + "confirm/"
    assert clerk_client.get(base + "documents/").status_code == 404
    # a step further on is not open before the earlier ones are answered
    clerk_client.post(base)
    assert clerk_client.get(base + "confirm/")["Location"] == base + "person/"


def test_who_may_not_build_forms_cannot_test_them(client_for, published_form, tenant_a):
    from portalwerk.platform.accounts.models import Role, User

    with schema_context(tenant_a.schema_name):
        User.objects.create_user(
            "reader@alpha.example", "Test-Passwort-2026!", role=Role.CLERK_READER
        )
    reader = client_for(tenant_a)
    reader.sign_in("reader@alpha.example")
    base = f"/backoffice/forms/{published_form.pk}/versions/1/test/"
    assert reader.post(base).status_code == 403
    anonymous = client_for(tenant_a)
    assert anonymous.post(base).status_code == 302
    assert "/backoffice/login/" in anonymous.get(base + "person/")["Location"]
