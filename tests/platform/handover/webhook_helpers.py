"""Making what the webhook tests need: a form without a fee that takes a photo, webhook
targets (settings cleaned by the backend's own form), submissions through the forms services."""

from __future__ import annotations

from django.utils import translation

from portalwerk.platform.authz.actors import anonymous
from portalwerk.platform.forms import services
from tests.helpers.forms import PERSON_STEP, png, publish_form

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


def submit_photo_form(form, *, photo: bool = True, person=PERSON, language="de"):
    """Submitted as a citizen reading the portal in `language` would."""
    with translation.override(language):
        return _submit(form, photo=photo, person=person)


def _submit(form, *, photo: bool, person: dict):
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
