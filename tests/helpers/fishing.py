"""An application for the fishing licence with what back-office systems ask for (birth date,
address, the water, the exam date, a photo), submitted through the forms services, for the tests
of hand-over backends."""

from __future__ import annotations

from django.utils import translation

from portalwerk.platform.authz.actors import anonymous
from portalwerk.platform.forms import services
from tests.helpers.forms import PERSON_STEP, png, publish_form

DEFINITION = {
    "steps": [
        PERSON_STEP,
        {
            "key": "details",
            "title": {"de": "Angaben zum Antrag", "en": "About the application"},
            "fields": [
                {
                    "key": "birth_date",
                    "type": "date",
                    "required": True,
                    "label": {"de": "Geburtsdatum", "en": "Date of birth"},
                },
                {
                    "key": "address",
                    "type": "address",
                    "required": True,
                    "label": {"de": "Anschrift", "en": "Address"},
                },
                {
                    "key": "water",
                    "type": "choice",
                    "required": True,
                    "label": {"de": "Gewässer", "en": "Water"},
                    "options": [
                        {"value": "elbe", "label": {"de": "Elbe", "en": "River Elbe"}},
                        {"value": "see", "label": {"de": "Stadtsee", "en": "Town lake"}},
                    ],
                },
                {
                    "key": "exam_date",
                    "type": "date",
                    "required": False,
                    "label": {"de": "Prüfungstermin", "en": "Exam date"},
                },
            ],
        },
        {
            "key": "documents",
            "title": {"de": "Nachweise", "en": "Documents"},
            "fields": [
                {
                    "key": "photo",
                    "type": "file",
                    "required": True,
                    "label": {"de": "Passfoto", "en": "Photo"},
                    "validation": {"file_types": ["png", "jpeg"], "max_size": 5_000_000},
                },
            ],
        },
    ]
}

TITLE = {"de": "Fischereischein", "en": "Fishing licence"}

PERSON = {"first_name": "Erika", "last_name": "Muster", "email": "erika@example.org"}
DETAILS = {
    "birth_date": "01.02.1990",
    "address": {
        "street": "Hafenstraße",
        "house_number": "3a",
        "postcode": "01067",
        "city": "Dresden",
    },
    "water": "elbe",
    "exam_date": "2026-03-14",
}


def publish(clerk):
    return publish_form(clerk, "fishing-licence", TITLE, DEFINITION)


def submit(form, *, photo=None, language: str = "de", person=None):
    """A submitted application (with its receipt) in the current schema; `photo` is an
    uploaded file (a small PNG when not given)."""
    with translation.override(language):
        return _submit(form, photo=photo, person=person)


def _submit(form, *, photo, person):
    actor = anonymous()
    draft = services.start_draft(actor=actor, form=form)
    services.save_step(actor=actor, draft=draft, step_key="person", raw=person or PERSON)
    services.save_step(actor=actor, draft=draft, step_key="details", raw=DETAILS)
    upload = services.store_upload(
        actor=actor, draft=draft, field_key="photo", file=photo or png("passfoto.png")
    )
    services.save_step(
        actor=actor, draft=draft, step_key="documents", raw={"photo": str(upload.pk)}
    )
    return services.submit_draft(actor=actor, draft=draft)
