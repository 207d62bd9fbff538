"""Forms for the tests of every area that needs one: definitions (with and without a fee), files,
publishing a form, submitting it as the citizen pages do, and running deferred jobs (mails,
hand-overs) the way a worker would, inside the test's transaction."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from procrastinate.contrib.django import app

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%fake but starts right\n"

PERSON_STEP = {
    "key": "person",
    "title": {"de": "Angaben zur Person", "en": "About you"},
    "fields": [
        {
            "key": "first_name",
            "type": "text",
            "required": True,
            "label": {"de": "Vorname", "en": "First name"},
        },
        {
            "key": "last_name",
            "type": "text",
            "required": True,
            "label": {"de": "Nachname", "en": "Last name"},
        },
        {
            "key": "email",
            "type": "email",
            "required": True,
            "label": {"de": "E-Mail-Adresse", "en": "Email address"},
        },
    ],
}

# The dog registration: a condition, a skipped step, an upload, a declaration, a fee by rule.
DEFINITION = {
    "steps": [
        PERSON_STEP,
        {
            "key": "dog",
            "title": {"de": "Hund", "en": "Dog"},
            "fields": [
                {
                    "key": "has_dog",
                    "type": "yesno",
                    "required": True,
                    "label": {"de": "Haben Sie einen Hund?", "en": "Do you have a dog?"},
                },
                {
                    "key": "dog_name",
                    "type": "text",
                    "required": True,
                    "label": {"de": "Name des Hundes", "en": "Name of the dog"},
                    "show_if": {"var": "has_dog"},
                },
            ],
        },
        {
            "key": "documents",
            "title": {"de": "Nachweise", "en": "Documents"},
            "skip_if": {"!": {"var": "has_dog"}},
            "fields": [
                {
                    "key": "photo",
                    "type": "file",
                    "required": True,
                    "label": {"de": "Foto", "en": "Photo"},
                    "validation": {"file_types": ["png", "jpeg"], "max_size": 1000000},
                },
            ],
        },
        {
            "key": "confirm",
            "title": {"de": "Erklärung", "en": "Declaration"},
            "fields": [
                {
                    "key": "truth",
                    "type": "declaration",
                    "required": True,
                    "label": {"de": "Ich bestätige meine Angaben.", "en": "I confirm my answers."},
                },
            ],
        },
    ],
    "fee": {"amount": {"if": [{"var": "has_dog"}, 3000, 1000]}},
}

# The fishing licence: 15.00 EUR for one year, 45.00 EUR for five.
FEE_DEFINITION = {
    "steps": [
        PERSON_STEP,
        {
            "key": "licence",
            "title": {"de": "Fischereischein", "en": "Fishing licence"},
            "fields": [
                {
                    "key": "duration",
                    "type": "choice",
                    "required": True,
                    "label": {"de": "Gültigkeit", "en": "Valid for"},
                    "options": [
                        {"value": "1", "label": {"de": "1 Jahr", "en": "1 year"}},
                        {"value": "5", "label": {"de": "5 Jahre", "en": "5 years"}},
                    ],
                },
            ],
        },
    ],
    "fee": {"amount": {"if": [{"==": [{"var": "duration"}, "5"]}, 4500, 1500]}},
}

FEE_ANSWERS = {
    "person": {"first_name": "Erika", "last_name": "Muster", "email": "erika@example.org"},
    "licence": {"duration": "1"},
}

FISHING_LICENCE = {"de": "Fischereischein", "en": "Fishing licence"}


def png(name="photo.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def _as_actor(who):
    from portalwerk.platform.authz.actors import Actor, from_user

    return who if isinstance(who, Actor) else from_user(who)


def publish_form(actor, slug: str, title: dict, definition: dict, **extra):
    """A form made and published through the forms services, in the current schema, by `actor`
    (a user or an Actor)."""
    from portalwerk.platform.forms import services

    actor = _as_actor(actor)

    form = services.create_form(actor=actor, slug=slug, title=title, definition=definition, **extra)
    services.publish_version(actor=actor, version=form.versions.get())
    return form


def make_submission(form, actor, answers=FEE_ANSWERS):
    """A submission made through the forms services, as the citizen pages make it."""
    from portalwerk.platform.forms import services

    actor = _as_actor(actor)

    draft = services.start_draft(actor=actor, form=form)
    for step, raw in answers.items():
        draft = services.save_step(actor=actor, draft=draft, step_key=step, raw=raw)
    return services.submit_draft(actor=actor, draft=draft)


def delete_forms_data() -> None:
    """Remove every form, draft, submission and upload (with their audit trail) of the current
    schema: the clean-up of tests that committed them (`live_db`)."""
    from portalwerk.platform.audit.models import Entry as AuditEntry
    from portalwerk.platform.forms.models import (
        Draft,
        Form,
        FormVersion,
        ReferenceSequence,
        Submission,
        Upload,
    )

    for model in (AuditEntry, Upload, Submission, Draft, FormVersion, Form, ReferenceSequence):
        model.objects.all().delete()


def _args(args) -> dict:
    return json.loads(args) if isinstance(args, str) else args


def jobs(task_suffix: str) -> list[dict]:
    """The arguments of the jobs deferred so far whose task name ends with `task_suffix`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT args FROM procrastinate_jobs WHERE task_name LIKE %s ORDER BY id",
            [f"%{task_suffix}"],
        )
        return [_args(args) for (args,) in cursor.fetchall()]


def run_jobs(task_suffix: str = "") -> list:
    """Run the jobs deferred so far (still in the test's transaction) as a worker would, and
    remove them. Returns what each job returned."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, task_name, args FROM procrastinate_jobs "
            "WHERE status = 'todo' AND task_name LIKE %s ORDER BY id",
            [f"%{task_suffix}"],
        )
        rows = cursor.fetchall()
        cursor.execute("DELETE FROM procrastinate_jobs WHERE id = ANY(%s)", [[r[0] for r in rows]])
    schema = connection.schema_name
    results = [app.tasks[name](**_args(args)) for _id, name, args in rows]
    if schema == "public":
        connection.set_schema_to_public()
    else:
        connection.set_schema(schema)
    return results
