"""What `portalwerk.platform.mail` makes of a mail: sent once per key, a sender and subject
naming the tenant (with the tenant's own sender address where the operator set one), plain text
as typed and HTML escaped; and the barrier-feedback path within the mail limits."""

from __future__ import annotations

import pytest
from django.core import mail as outbox
from django.core.cache import cache
from django.db import connection

from portalwerk.platform import mail
from portalwerk.platform.authz.actors import anonymous
from portalwerk.platform.catalog.bitv.services import send_accessibility_feedback
from portalwerk.platform.catalog.models import AccessibilityFeedback, PortalSettings
from portalwerk.platform.mail import limits as mail_limits


@pytest.fixture
def in_alpha(tenant_a):
    connection.set_tenant(tenant_a)
    outbox.outbox.clear()
    yield tenant_a
    connection.set_schema_to_public()


def test_a_mail_sent_twice_under_one_key_arrives_once(in_alpha):
    for _ in range(2):
        mail.send(
            idempotency_key="submission-receipt:1",
            to="anna@example.org",
            language="de",
            subject="Eingang",
            body="Danke.",
        )
    assert len(outbox.outbox) == 1
    # the same key to someone else is another mail; without a key outside a job, no record
    mail.send(
        idempotency_key="submission-receipt:1",
        to="bert@example.org",
        language="de",
        subject="Eingang",
        body="x",
    )
    mail.send(to="anna@example.org", language="de", subject="Ohne Schlüssel", body="x")
    assert [m.to for m in outbox.outbox] == [
        ["anna@example.org"],
        ["bert@example.org"],
        ["anna@example.org"],
    ]
    assert mail.was_sent("submission-receipt:1", to="anna@example.org")


def test_sender_and_subject_name_the_authority_and_its_own_address(in_alpha):
    in_alpha.mail_from = "rathaus@alpha.example"
    in_alpha.save(update_fields=["mail_from"])
    mail.send(to="anna@example.org", language="en", subject="Your\nappointment", body="x")
    message = outbox.outbox[0]
    assert message.from_email == '"Stadt Alpha – Service portal" <rathaus@alpha.example>'
    assert message.subject == "Your appointment – Stadt Alpha"
    # a subject that names the authority already keeps its wording
    mail.send(to="anna@example.org", language="en", subject="News from Stadt Alpha", body="x")
    assert outbox.outbox[1].subject == "News from Stadt Alpha"


def test_plain_text_is_sent_as_typed_and_the_html_alternative_escaped(in_alpha, settings, tmp_path):
    (tmp_path / "mail").mkdir()
    (tmp_path / "mail" / "note.txt").write_text("Hallo {{ name }}, {{ office }}")
    (tmp_path / "mail" / "note.html").write_text("<p>Hallo {{ name }}, {{ office }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    mail.send(
        to="anna@example.org",
        language="de",
        subject="Hinweis",
        template="mail/note.txt",
        html_template="mail/note.html",
        context={"name": "O'Brien", "office": "<b>Bürgerbüro</b>"},
    )
    message = outbox.outbox[0]
    assert message.body == "Hallo O'Brien, <b>Bürgerbüro</b>"
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert html == "<p>Hallo O&#x27;Brien, &lt;b&gt;Bürgerbüro&lt;/b&gt;</p>"


def test_barrier_feedback_is_kept_but_its_mails_stay_within_the_contacts_allowance(in_alpha):
    cache.clear()
    settings_row = PortalSettings.objects.first() or PortalSettings()
    settings_row.feedback_email = "barrierefrei@alpha.example"
    settings_row.save()
    cache.clear()
    allowance = mail_limits.allowance("per_recipient_per_hour")
    # given reports from many clients, more than the contact address's allowance
    for n in range(allowance + 3):
        send_accessibility_feedback(
            actor=anonymous(), message=f"Barriere {n}", page="/", ip=f"10.9.{n}.1"
        )
    # then every report is kept for the back office, and only the allowance was mailed
    assert AccessibilityFeedback.objects.filter(message__startswith="Barriere").count() == (
        allowance + 3
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM public.procrastinate_jobs WHERE task_name LIKE %s",
            ["%send_feedback_mail"],
        )
        assert cursor.fetchone()[0] == allowance
