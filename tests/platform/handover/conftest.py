"""Fixtures of the hand-over tests: a real webhook receiver on loopback, a form without a fee
that takes a photo, webhook targets, and submissions made through the forms services."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import anonymous
from portalwerk.platform.forms import services
from tests.helpers.forms import PERSON_STEP, png, publish_form
from tests.platform.handover.receiver import Receiver

SECRET = "whsec-portalwerk-tests"

PHOTO_DEFINITION = {
    "steps": [
        PERSON_STEP,
        {
            "key": "documents",
            "title": {"de": "Nachweise", "en": "Documents"},
            "fields": [
                {
                    "key": "photo",
                    "type": "file",
                    "required": False,
                    "label": {"de": "Foto", "en": "Photo"},
                    "validation": {"file_types": ["png", "jpeg"], "max_size": 1000000},
                },
            ],
        },
    ],
}
PERSON = {"first_name": "Erika", "last_name": "Muster", "email": "erika@example.org"}


@pytest.fixture
def receiver():
    running = Receiver(SECRET).start()
    yield running
    running.stop()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def publish_photo_form(actor, slug="photo-permit"):
    return publish_form(
        actor,
        slug,
        {"de": "Fotogenehmigung", "en": "Photo permit"},
        PHOTO_DEFINITION,
    )


def webhook_target(url: str, *, name="Back office", files="links", timeout=2, secret=SECRET):
    """A webhook target for every form, its settings cleaned by the backend's own form."""
    from portalwerk.platform.handover.contrib.webhook.config import WebhookConfigForm
    from portalwerk.platform.handover.models import Target

    config = WebhookConfigForm(
        {"url": url, "secret": secret, "files": files, "timeout_seconds": timeout}
    )
    assert config.is_valid(), config.errors
    return Target.objects.create(
        name=name, backend="webhook", config=config.cleaned_data, all_forms=True
    )


def submit_photo_form(form, *, photo: bool = True, person=PERSON):
    draft = services.start_draft(actor=anonymous(), form=form)
    services.save_step(actor=anonymous(), draft=draft, step_key="person", raw=person)
    raw = {}
    if photo:
        upload = services.store_upload(
            actor=anonymous(), draft=draft, field_key="photo", file=png()
        )
        raw = {"photo": str(upload.pk)}
    services.save_step(actor=anonymous(), draft=draft, step_key="documents", raw=raw)
    return services.submit_draft(actor=anonymous(), draft=draft)


@pytest.fixture
def photo_form(tenant_a, clerk, media):
    with schema_context(tenant_a.schema_name):
        return publish_photo_form(clerk)
