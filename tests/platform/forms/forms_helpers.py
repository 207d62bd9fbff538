"""Helpers for the forms and casework tests: a definition, files, and running deferred jobs
(mails) the way a worker would, inside the test's transaction."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from procrastinate.contrib.django import app

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%fake but starts right\n"

DEFINITION = {
    "steps": [
        {
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
        },
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


def png(name="photo.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def run_jobs(task_suffix: str = "") -> list:
    """Run the jobs deferred so far (still in the test's transaction) as a worker would, and
    remove them. Returns what each job returned."""
    results = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, task_name, args FROM procrastinate_jobs "
            "WHERE status = 'todo' AND task_name LIKE %s ORDER BY id",
            [f"%{task_suffix}"],
        )
        jobs = cursor.fetchall()
        cursor.execute("DELETE FROM procrastinate_jobs WHERE id = ANY(%s)", [[j[0] for j in jobs]])
    schema = connection.schema_name
    for _id, name, args in jobs:
        task = app.tasks[name]
        results.append(task(**(json.loads(args) if isinstance(args, str) else args)))
    connection.set_schema(schema) if schema != "public" else connection.set_schema_to_public()
    return results
