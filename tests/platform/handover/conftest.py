"""Fixtures of the hand-over tests: a real webhook receiver on loopback, a media folder of the
test's own, a published form that takes a photo; for answers back a form without a fee in each
test tenant that hands over to a target, a submission per tenant with its delivery, and a signed
POST to the status endpoint."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.utils import translation
from django_tenants.utils import schema_context

from portalwerk.platform.forms.models import Submission
from portalwerk.platform.handover import signing
from portalwerk.platform.handover.models import Delivery, Target
from tests.helpers.forms import PERSON_STEP, publish_form, run_jobs
from tests.helpers.forms import make_submission as submit
from tests.platform.handover.receiver import Receiver
from tests.platform.handover.webhook_helpers import SECRET, publish_photo_form

DEFINITION = {"steps": [PERSON_STEP]}
ANSWERS = {
    "person": {"first_name": "Erika", "last_name": "Musterfrau", "email": "erika@example.org"}
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class HandedOver:
    tenant: object
    target: Target
    submission: Submission
    delivery: Delivery


def hand_over(tenant, actor, *, language="de", email="erika@example.org", target=None):
    """A submission of the tenant's free form by `actor` (a user, or an Actor), with its
    delivery to `target` (made, with a form, on first use)."""
    with schema_context(tenant.schema_name):
        from portalwerk.platform.forms.models import Form

        form = Form.objects.filter(slug="fishing").first()
        if form is None:
            form = publish_form(
                actor_for_publishing(tenant),
                "fishing",
                {"de": "Angeln", "en": "Fishing"},
                DEFINITION,
            )
        if target is None:
            target = Target.objects.filter(name="Fachverfahren").first() or Target.objects.create(
                name="Fachverfahren", backend="webhook", all_forms=True
            )
        answers = {"person": {**ANSWERS["person"], "email": email}}
        with translation.override(language):
            submission = submit(form, actor, answers)
        run_jobs("send_submission_receipt")
        delivery = Delivery.objects.get(submission=submission, target=target)
        return HandedOver(tenant, target, submission, delivery)


def actor_for_publishing(tenant):
    from portalwerk.platform.accounts.models import Role, User

    email = f"forms-admin@{tenant.slug}.example"
    return User.objects.filter(email=email).first() or User.objects.create_user(
        email, "Test-Passwort-2026!", role=Role.TENANT_ADMIN
    )


def report_body(handed: HandedOver, event_id="ev-1", **fields) -> bytes:
    return json.dumps(
        {"delivery": str(handed.delivery.key), "event_id": event_id, **fields}
    ).encode()


def post_report(client, target, body: bytes, *, secret=None, timestamp=None, target_id=None):
    """A back office's callback: `body` signed with the target's callback secret."""
    signature = signing.sign(body, secret or target.callback_secret, timestamp=timestamp)
    return client.post(
        f"/handover/status/{target_id or target.pk}/",
        data=body,
        content_type="application/json",
        HTTP_PORTALWERK_SIGNATURE=signature,
    )


@pytest.fixture
def receiver():
    running = Receiver(SECRET).start()
    yield running
    running.stop()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def photo_form(tenant_a, clerk, media):
    with schema_context(tenant_a.schema_name):
        return publish_photo_form(clerk)
