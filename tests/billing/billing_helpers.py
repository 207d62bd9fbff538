"""Helpers for the payments tests: a form with a fee, submissions of it, running jobs."""

from __future__ import annotations

import json

from django.db import connection
from procrastinate.contrib.django import app

WEBHOOK_SECRET = "whsec_test_portalwerk"

FEE_DEFINITION = {
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

ANSWERS = {
    "person": {"first_name": "Erika", "last_name": "Muster", "email": "erika@example.org"},
    "licence": {"duration": "1"},
}


def make_submission(form, actor, answers=ANSWERS):
    """A submission made through the forms services, as the citizen pages make it."""
    from portalwerk.platform.forms import services

    draft = services.start_draft(actor=actor, form=form)
    for step, raw in answers.items():
        draft = services.save_step(actor=actor, draft=draft, step_key=step, raw=raw)
    return services.submit_draft(actor=actor, draft=draft)


def jobs(task_suffix: str) -> list[dict]:
    """The jobs deferred so far whose task name ends with `task_suffix`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT args FROM procrastinate_jobs WHERE task_name LIKE %s ORDER BY id",
            [f"%{task_suffix}"],
        )
        return [json.loads(a) if isinstance(a, str) else a for (a,) in cursor.fetchall()]


def run_jobs(task_suffix: str = "") -> list:
    """Run (and remove) the deferred jobs as a worker would, inside the test's transaction."""
    results = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, task_name, args FROM procrastinate_jobs "
            "WHERE status = 'todo' AND task_name LIKE %s ORDER BY id",
            [f"%{task_suffix}"],
        )
        rows = cursor.fetchall()
        cursor.execute("DELETE FROM procrastinate_jobs WHERE id = ANY(%s)", [[r[0] for r in rows]])
    schema = connection.schema_name
    for _id, name, args in rows:
        results.append(app.tasks[name](**(json.loads(args) if isinstance(args, str) else args)))
    connection.set_schema(schema) if schema != "public" else connection.set_schema_to_public()
    return results


def signed(payload: dict, secret: str, timestamp: int | None = None) -> tuple[bytes, str]:
    """The body and `Stripe-Signature` header Stripe would send: HMAC-SHA256 over
    "<timestamp>.<body>" with the endpoint's secret, as the SDK computes it."""
    import hashlib
    import hmac
    import time

    body = json.dumps(payload).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return body, f"t={timestamp},v1={mac}"


def checkout_event(event_id: str, type_: str, session_id: str, account: str) -> dict:
    import time

    return {
        "id": event_id,
        "object": "event",
        "api_version": "2024-06-20",
        "type": type_,
        "account": account,
        "created": int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "data": {"object": {"id": session_id, "object": "checkout.session"}},
    }
