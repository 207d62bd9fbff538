"""The submission page of the workspace: answers by step and repeating group, photos as previews,
the payment, internal notes that never reach the citizen (pages, API, mails), who opened it, and
confirmation before what cannot be undone."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.casework import services as casework
from portalwerk.platform.casework.models import Note
from portalwerk.platform.forms import services
from tests.helpers.forms import png, run_jobs

PASSWORD = "Test-Passwort-2026!"
SECRET = "Nachbar meldet Zweifel an der Angabe – nicht weitergeben"


def submit(form, actor, *, helpers=(), photo=True):
    draft = services.start_draft(actor=actor, form=form)
    services.save_step(
        actor=actor,
        draft=draft,
        step_key="person",
        raw={"first_name": "Anna", "last_name": "Muster", "email": "anna@example.org"},
    )
    raw = {"resident": "yes", "duration": "5", "helpers": [{"helper_name": h} for h in helpers]}
    if photo:
        upload = services.store_upload(
            actor=actor, draft=draft, field_key="photo", file=png("ich.png")
        )
        raw["photo"] = str(upload.pk)
    services.save_step(actor=actor, draft=draft, step_key="details", raw=raw)
    services.save_step(actor=actor, draft=draft, step_key="contact", raw={"email_work": ""})
    return services.submit_draft(actor=actor, draft=draft)


@pytest.fixture
def submission(licence_form, tenant_a, citizen):
    with schema_context(tenant_a.schema_name):
        made = submit(licence_form, from_user(citizen), helpers=["Bo", "Cem"])
        run_jobs()
        return made


def page_of(client, submission, language="en") -> str:
    response = client.get(f"/backoffice/inbox/{submission.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_the_answers_keep_the_forms_steps_and_repeating_groups(clerk_client, submission):
    html = page_of(clerk_client, submission)
    # the steps in order, each its own heading
    assert html.index("<h3>About you</h3>") < html.index("<h3>Details</h3>")
    # the group once, its entries numbered under it, each with its own answers
    group = html[html.index('<section class="repeat-group"') :]
    group = group[: group.index("</section>")]
    assert "<h4>Companion</h4>" in group
    assert group.index("Entry 1") < group.index("Bo") < group.index("Entry 2") < group.index("Cem")
    assert "Companion 1: Name" not in html  # not flattened any more
    # the photo: a preview through the access-checked download, with its name, type and size
    with schema_context("t_alpha"):
        photo = submission.uploads.get()
    assert f'<img src="/files/{photo.pk}/" alt="Preview of ich.png"' in html
    assert "PNG, 72" in html


def test_the_preview_is_the_download_clerks_may_open_and_strangers_not(
    clerk_client, client_for, tenant_a, submission
):
    html = page_of(clerk_client, submission)
    src = re.search(r'<img src="([^"]+)" alt="Preview of ich.png"', html).group(1)
    shown = clerk_client.get(src)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert client_for(tenant_a).get(src).status_code == 404  # not signed in: nothing


def test_a_note_is_saved_announced_and_audited_without_its_words(
    clerk_client, submission, tenant_a, clerk
):
    detail = f"/backoffice/inbox/{submission.pk}/"
    posted = clerk_client.post(detail, {"action": "note", "note_body": SECRET})
    assert posted.status_code == 302 and posted["Location"] == detail
    html = clerk_client.get(posted["Location"], HTTP_ACCEPT_LANGUAGE="de").content.decode()
    notes = html[html.index('<section id="notes"') :]
    notes = notes[: notes.index("</section>")]
    # the feedback is in the notes section, announced, and takes the focus
    assert re.search(r'<p class="feedback" role="status" tabindex="-1" autofocus>Ihre Notiz', notes)
    assert SECRET in notes and "clerk" in notes
    with schema_context(tenant_a.schema_name):
        entry = Entry.objects.get(action="submission.note_added")
        assert Note.objects.get().author == clerk
    assert entry.object_id == submission.reference and entry.actor_user_id == clerk.pk
    assert "Nachbar" not in json.dumps(entry.detail)


def test_an_empty_note_is_a_message_linked_to_its_field(clerk_client, submission, tenant_a):
    response = clerk_client.post(
        f"/backoffice/inbox/{submission.pk}/",
        {"action": "note", "note_body": "  "},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#f-note-body">Geben Sie eine Notiz ein.</a>' in html
    assert 'aria-describedby="f-note-body-error" aria-invalid="true"' in html
    with schema_context(tenant_a.schema_name):
        assert not Note.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "citizen", "reader", "other tenant"])
def test_only_processing_clerks_add_notes(
    who, client_for, tenant_a, tenant_b, submission, citizen, other_tenant_clerk
):
    client = client_for(tenant_a)
    if who == "citizen":
        client.sign_in(citizen.email)
    elif who == "reader":
        with schema_context(tenant_a.schema_name):
            User.objects.create_user("reader@alpha.example", PASSWORD, role=Role.CLERK_READER)
        client.sign_in("reader@alpha.example")
    elif who == "other tenant":
        client.sign_in(other_tenant_clerk.email)
    response = client.post(
        f"/backoffice/inbox/{submission.pk}/", {"action": "note", "note_body": SECRET}
    )
    if who == "reader":
        assert response.status_code == 400  # may read the page, not write on it
        assert 'name="note_body"' not in page_of(client, submission)
    else:
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert SECRET not in response.content.decode()
    with schema_context(tenant_a.schema_name):
        assert not Note.objects.exists()


def test_notes_never_reach_the_citizen(clerk_client, client_for, tenant_a, submission, citizen):
    # given a note, a status change and a message on the citizen's submission
    detail = f"/backoffice/inbox/{submission.pk}/"
    mail.outbox.clear()
    clerk_client.post(detail, {"action": "note", "note_body": SECRET})
    clerk_client.post(detail, {"action": "status", "status": "in_progress", "note": "intern"})
    clerk_client.post(detail, {"action": "message", "body": "Bitte Foto nachreichen."})
    with schema_context(tenant_a.schema_name):
        run_jobs()
        assert Note.objects.filter(body=SECRET).exists()
    # when the citizen looks at everything they have
    own = client_for(tenant_a)
    own.sign_in(citizen.email)
    pages = [
        own.get("/my/applications/").content.decode(),
        own.get(f"/my/applications/{submission.reference}/").content.decode(),
    ]
    assert "Bitte Foto nachreichen." in pages[1]  # the message is there: the page is the right one
    api = own.post(
        "/graphql/",
        data=json.dumps({"query": "{ mySubmissions { reference status messages { body } } }"}),
        content_type="application/json",
    ).json()
    assert api["data"]["mySubmissions"][0]["reference"] == submission.reference
    mails = [m.subject + m.body for m in mail.outbox]
    assert len(mails) >= 2  # the status mail and the message mail
    # then the note is nowhere
    for text in [*pages, json.dumps(api), *mails]:
        assert "Nachbar" not in text


def test_who_opened_the_submission_is_shown_with_the_time(
    clerk_client, client_for, tenant_a, tenant_admin, submission
):
    other = client_for(tenant_a)
    other.sign_in(tenant_admin.email)
    page_of(other, submission)
    html = page_of(clerk_client, submission)
    viewers = html[html.index('<h2 id="viewers">') :]
    viewers = viewers[: viewers.index("</ul>")]
    # the newest first: this look, then the administrator's
    assert viewers.index("clerk") < viewers.index("admin")
    assert len(re.findall(r"<time datetime=", viewers)) == 2
    assert re.search(r"\d\d\.\d\d\.\d{4} \d\d:\d\d</time>", viewers)


def test_a_final_status_and_withdrawing_links_are_asked_for_once_more(
    clerk_client, submission, tenant_a, clerk
):
    with schema_context(tenant_a.schema_name):
        casework.change_status(
            actor=from_user(clerk), submission_id=submission.pk, status="in_progress"
        )
    detail = f"/backoffice/inbox/{submission.pk}/"
    asked = clerk_client.post(
        detail, {"action": "status", "status": "rejected"}, HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert "von „in Bearbeitung“ zu „abgelehnt“" in asked
    assert "Danach lässt sich der Status nicht mehr ändern." in asked
    assert 'name="confirmed" value="yes"' in asked
    with schema_context(tenant_a.schema_name):
        submission.refresh_from_db()
        assert submission.status == "in_progress"
    done = clerk_client.post(detail, {"action": "status", "status": "rejected", "confirmed": "yes"})
    assert done["Location"] == detail
    with schema_context(tenant_a.schema_name):
        submission.refresh_from_db()
        assert submission.status == "rejected"


def test_the_status_select_has_no_status_chosen(clerk_client, submission):
    html = page_of(clerk_client, submission)
    select = html[
        html.index('<select id="f-status"') : html.index("</select>", html.index('id="f-status"'))
    ]
    assert '<option value="" selected>' in select
    assert select.count("selected") == 1


def test_the_page_costs_the_same_queries_with_more_messages_and_notes(
    clerk_client, submission, tenant_a, clerk
):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            page_of(clerk_client, submission)
        return len(ctx.captured_queries)

    detail = f"/backoffice/inbox/{submission.pk}/"
    clerk_client.post(detail, {"action": "note", "note_body": "1"})
    clerk_client.post(detail, {"action": "message", "body": "1"})
    one = count()
    with schema_context(tenant_a.schema_name):
        for n in range(5):
            casework.send_message(actor=from_user(clerk), submission_id=submission.pk, body=f"m{n}")
            Note.objects.create(submission=submission, author=clerk, body=f"n{n}")
    assert count() == one


def test_anonymising_a_submission_removes_its_notes(licence_form, tenant_a, clerk, submission):
    from datetime import timedelta

    from django.utils import timezone

    from portalwerk.platform.casework.notes import add_note
    from portalwerk.platform.casework.tasks import purge_expired_submissions
    from portalwerk.platform.forms.models import Submission
    from portalwerk.platform.jobs import defer_for_tenant

    with schema_context(tenant_a.schema_name):
        add_note(actor=from_user(clerk), submission_id=submission.pk, body=SECRET)
        licence_form.retention_action = "anonymise"
        licence_form.retention_days = 30
        licence_form.save()
        Submission.objects.update(submitted_at=timezone.now() - timedelta(days=31))
        defer_for_tenant(purge_expired_submissions)
        run_jobs("purge_expired_submissions")
        assert Submission.objects.get().anonymised_at is not None
        assert not Note.objects.exists()
