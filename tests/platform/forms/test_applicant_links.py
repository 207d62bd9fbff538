"""Applicants without an account follow their application: an access link in every mail, a page
for a fresh link, replies that reach the office, and joining an account later (after the citizen
confirms)."""

import logging
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from portalwerk.platform.accounts import services as accounts
from portalwerk.platform.accounts import tokens
from portalwerk.platform.accounts.models import User
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import anonymous, from_user, link_holder
from portalwerk.platform.casework import services as casework
from portalwerk.platform.casework.models import Message
from portalwerk.platform.forms.models import Submission, SubmissionLink
from tests.helpers.forms import png, run_jobs
from tests.platform.forms.test_inbox import make_submission

LINK = re.compile(r"https?://[^/\s]+(/my/applications/link/([^/\s]+)/)")


@pytest.fixture(autouse=True)
def _handed_over_before_payment(published_form, tenant_a):
    """As in the inbox tests: the office sees the dog licence before its fee is paid."""
    from portalwerk.billing.payments.models import FeeAccount, HandOverPolicy

    with schema_context(tenant_a.schema_name):
        FeeAccount.objects.create(service_key="hundesteuer", hand_over=HandOverPolicy.IMMEDIATELY)


def link_of(message) -> tuple[str, str]:
    """(path, token) of the access link in a mail."""
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1), found.group(2)


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


@pytest.fixture
def anonymous_submission(tenant_a):
    """Anna applied without an account; her receipt mail is in the outbox."""
    mail.outbox.clear()
    return make_submission(tenant_a, email="anna@example.com")


@pytest.fixture
def clerk_client(client_for, tenant_a, clerk):
    client = client_for(tenant_a)
    client.sign_in(clerk.email)
    return client


def test_the_receipt_link_opens_status_and_messages_and_takes_a_reply_with_a_file(
    anonymous_submission, client_for, tenant_a, clerk, clerk_client
):
    # given: the receipt mail of an application made without an account, and a clerk's question
    receipt = mails_to("anna@example.com")[0]
    path, token = link_of(receipt)
    assert receipt.body.count("/my/applications/link/") == 1
    with schema_context(tenant_a.schema_name):
        casework.assign_submission(
            actor=from_user(clerk), submission_id=anonymous_submission.pk, assignee_id=clerk.pk
        )
        casework.send_message(
            actor=from_user(clerk),
            submission_id=anonymous_submission.pk,
            body="Bitte reichen Sie ein Foto nach.",
        )
    browser = client_for(tenant_a)

    # when: Anna opens the link in a browser that never saw the application
    opened = browser.get(path)

    # then: the token leaves the address bar; her application's page shows status and messages
    assert opened.status_code == 302
    assert opened["Location"] == f"/my/applications/{anonymous_submission.reference}/"
    assert opened["Referrer-Policy"] == "no-referrer"
    page = browser.get(opened["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert anonymous_submission.reference in html and "eingegangen" in html
    assert "Bitte reichen Sie ein Foto nach." in html
    assert token not in html

    # when: she replies with a photo
    mail.outbox.clear()
    replied = browser.post(
        opened["Location"], {"body": "Hier ist das Foto.", "attachment": png("hund.png")}
    )

    # then: the office has the reply and the file, marked as new in the inbox
    assert replied.status_code == 302
    with schema_context(tenant_a.schema_name):
        reply = Message.objects.get(from_office=False)
        assert reply.body == "Hier ist das Foto." and reply.author is None
        attachment = reply.attachments.get()
        entry = Entry.objects.get(action="submission.replied")
    assert (entry.actor_kind, entry.object_id) == ("link_holder", anonymous_submission.reference)
    assert browser.get(f"/files/{attachment.pk}/").status_code == 200
    assert client_for(tenant_a).get(f"/files/{attachment.pk}/").status_code == 404
    inbox = clerk_client.get("/backoffice/inbox/").content.decode()
    assert "Neue Antwort" in inbox
    assert (
        anonymous_submission.reference
        in clerk_client.get("/backoffice/inbox/", {"unread": "1"}).content.decode()
    )

    # and the assigned clerk got a mail naming the reference, not what was written
    with schema_context(tenant_a.schema_name):
        run_jobs("send_reply_notice")
    notice = mails_to(clerk.email)[0]
    assert anonymous_submission.reference in notice.subject
    assert f"/backoffice/inbox/{anonymous_submission.pk}/" in notice.body
    assert "Foto" not in notice.body and "Anna" not in notice.body

    # when the clerk opens the submission, the reply counts as read
    clerk_client.get(f"/backoffice/inbox/{anonymous_submission.pk}/")
    inbox = clerk_client.get("/backoffice/inbox/").content.decode()
    assert "Neue Antwort" not in inbox
    assert (
        anonymous_submission.reference
        not in clerk_client.get("/backoffice/inbox/", {"unread": "1"}).content.decode()
    )


def test_a_reply_of_a_signed_in_citizen_marks_the_submission_too(
    published_form, client_for, tenant_a, citizen, clerk_client
):
    # given
    submission = make_submission(tenant_a, user=citizen)
    browser = client_for(tenant_a)
    browser.sign_in(citizen.email)

    # when
    browser.post(f"/my/applications/{submission.reference}/", {"body": "Eine Frage."})

    # then
    assert "Neue Antwort" in clerk_client.get("/backoffice/inbox/").content.decode()
    with schema_context(tenant_a.schema_name):
        entry = Entry.objects.get(action="submission.replied")
    assert (entry.actor_kind, entry.actor_user_id) == ("citizen", citizen.pk)


def test_notice_mails_name_the_status_and_what_to_do_in_the_submissions_language(
    anonymous_submission, tenant_a, clerk
):
    # given: a clerk moves the application on twice
    mail.outbox.clear()
    with schema_context(tenant_a.schema_name):
        casework.change_status(
            actor=from_user(clerk), submission_id=anonymous_submission.pk, status="in_progress"
        )
        casework.change_status(
            actor=from_user(clerk), submission_id=anonymous_submission.pk, status="waiting"
        )
        # when
        run_jobs("send_status_mail")

    # then: one German mail per change, each naming its own status, with a fresh link
    first, second = mails_to("anna@example.com")
    assert first.subject == (
        f"Ihr Antrag {anonymous_submission.reference} ist jetzt: in Bearbeitung – Stadt Alpha"
    )
    assert "Sie müssen im Moment nichts tun." in first.body
    assert "Rückfrage an Antragstellende" in second.subject
    assert "Die Behörde braucht noch etwas von Ihnen." in second.body
    assert link_of(first)[1] != link_of(second)[1]
    for message in (first, second):
        assert "Sign in" not in message.body and "Anmelden" not in message.body
        assert "Anna" not in message.body and "Muster" not in message.body
        assert "/my/applications/new-link/" in message.body

    # given: an English application
    with schema_context(tenant_a.schema_name):
        Submission.objects.filter(pk=anonymous_submission.pk).update(language="en")
        casework.send_message(
            actor=from_user(clerk), submission_id=anonymous_submission.pk, body="Bitte Foto."
        )
        casework.change_status(
            actor=from_user(clerk), submission_id=anonymous_submission.pk, status="completed"
        )
        mail.outbox.clear()
        run_jobs("send_status_mail")

    # then: the mails are in English, the message's text is not in them
    message, completed = mails_to("anna@example.com")
    assert message.subject == (
        f"New message about your application {anonymous_submission.reference} – Stadt Alpha"
    )
    assert "read it and reply" in message.body and "Bitte Foto" not in message.body
    assert (
        completed.subject
        == f"Your application {anonymous_submission.reference} is now: completed – Stadt Alpha"
    )
    assert "has been completed" in completed.body


def test_an_expired_or_tampered_link_leads_to_a_page_that_gets_a_fresh_one(
    anonymous_submission, client_for, tenant_a
):
    # given: a receipt link that expired
    path, token = link_of(mails_to("anna@example.com")[0])
    with schema_context(tenant_a.schema_name):
        SubmissionLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    browser = client_for(tenant_a)

    # when
    opened = browser.get(path, HTTP_ACCEPT_LANGUAGE="en")

    # then: a page in the reader's language says so and offers a new link
    assert opened.status_code == 302
    page = browser.get(opened["Location"], HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "This link has expired" in html and "Send me a new link" in html
    assert browser.get(f"/my/applications/{anonymous_submission.reference}/").status_code == 302

    # and a tampered link, in German
    tampered = browser.get(path.replace(token, token[:-2] + "xy"))
    page = browser.get(tampered["Location"])
    assert "Dieser Link funktioniert nicht" in page.content.decode()

    # when: she asks for a new link with her reference and address
    mail.outbox.clear()
    asked = browser.post(
        "/my/applications/new-link/",
        {"reference": anonymous_submission.reference.lower(), "email": "ANNA@example.com"},
    )
    with schema_context(tenant_a.schema_name):
        run_jobs("send_submission_link")

    # then: it goes to the address on the submission, and works
    assert asked.status_code == 302
    (fresh,) = mails_to("anna@example.com")
    assert anonymous_submission.reference in fresh.subject
    fresh_path, _token = link_of(fresh)
    opened = browser.get(fresh_path)
    assert opened["Location"] == f"/my/applications/{anonymous_submission.reference}/"
    assert browser.get(opened["Location"]).status_code == 200


def test_asking_for_a_link_with_the_wrong_address_mails_nobody_and_says_nothing_more(
    anonymous_submission, client_for, tenant_a
):
    # given
    browser = client_for(tenant_a)
    mail.outbox.clear()

    # when
    wrong = browser.post(
        "/my/applications/new-link/",
        {"reference": anonymous_submission.reference, "email": "mallory@example.com"},
    )
    unknown = browser.post(
        "/my/applications/new-link/", {"reference": "ALP-1999-999999", "email": "a@example.com"}
    )
    with schema_context(tenant_a.schema_name):
        run_jobs("send_submission_link")

    # then: the same answer as for a match, and no mail at all
    assert wrong.status_code == unknown.status_code == 302
    assert wrong["Location"] == unknown["Location"]
    assert mail.outbox == []
    empty = browser.post("/my/applications/new-link/", {"reference": "", "email": ""})
    assert empty.status_code == 400 and "Geben Sie das Aktenzeichen ein." in empty.content.decode()
    for junk in (
        {"reference": "ALP\x00", "email": "a@example.com"},
        {"reference": "ALP-1", "email": "a\x00b"},
    ):
        refused = browser.post("/my/applications/new-link/", junk)
        assert refused.status_code == 400
        assert "Zeichen, das nicht erlaubt ist" in refused.content.decode()


def test_asking_for_links_is_rate_limited_per_reference(anonymous_submission, client_for, tenant_a):
    # given
    browser = client_for(tenant_a)
    data = {"reference": anonymous_submission.reference, "email": "anna@example.com"}
    for _n in range(3):
        assert browser.post("/my/applications/new-link/", data).status_code == 302

    # when
    limited = browser.post("/my/applications/new-link/", data)

    # then
    assert limited.status_code == 429
    with schema_context(tenant_a.schema_name):
        assert len(run_jobs("send_submission_link")) == 3


def test_withdrawn_links_stop_working_even_in_a_browser_that_opened_them(
    anonymous_submission, client_for, tenant_a, clerk_client
):
    # given: Anna's browser opened the link
    path, _token = link_of(mails_to("anna@example.com")[0])
    browser = client_for(tenant_a)
    page = f"/my/applications/{anonymous_submission.reference}/"
    assert browser.get(browser.get(path)["Location"]).status_code == 200

    # when: the clerk withdraws the links (the mail was forwarded), asked once more first
    detail = f"/backoffice/inbox/{anonymous_submission.pk}/"
    asked = clerk_client.post(detail, {"action": "revoke_links"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "stops working at once" in asked.content.decode()
    assert browser.get(page).status_code == 200  # asking changed nothing
    done = clerk_client.post(detail, {"action": "revoke_links", "confirmed": "yes"})

    # then
    assert done.status_code == 302
    assert browser.get(page).status_code == 302  # to sign-in, nothing shown
    assert "problem=invalid" in browser.get(path)["Location"]
    with schema_context(tenant_a.schema_name):
        entry = Entry.objects.get(action="submission.links_revoked")
    assert entry.actor_kind == "clerk" and entry.detail["links"] == 1


def test_a_link_opens_only_its_own_submission(anonymous_submission, client_for, tenant_a):
    # given: another applicant's submission, and Anna's opened link
    other = make_submission(tenant_a, 2, name="Bernd", email="bernd@example.com")
    path, _token = link_of(mails_to("anna@example.com")[0])
    browser = client_for(tenant_a)
    browser.get(path)

    # then
    assert browser.get(f"/my/applications/{anonymous_submission.reference}/").status_code == 200
    assert browser.get(f"/my/applications/{other.reference}/").status_code == 302
    assert browser.get(f"/forms/done/{other.reference}/receipt.pdf").status_code == 404
    # a link holder is no member of staff
    holder = link_holder(anonymous_submission.reference)
    assert capabilities.capabilities_of(holder) == frozenset()
    assert browser.get("/backoffice/inbox/").status_code in (302, 403, 404)


def test_the_token_is_stored_only_as_a_hash_and_never_logged(
    anonymous_submission, client_for, tenant_a, caplog
):
    # given
    path, token = link_of(mails_to("anna@example.com")[0])
    caplog.set_level(logging.DEBUG)
    browser = client_for(tenant_a)

    # when: the link is opened, and a broken one too
    browser.get(path)
    browser.get(path.replace(token, token + "0"))

    # then: neither the log, the audit trail, the job queue nor the link table holds it
    assert token not in caplog.text
    with schema_context(tenant_a.schema_name):
        assert not SubmissionLink.objects.filter(token_hash=token).exists()
        assert token not in str(list(Entry.objects.values_list("detail", flat=True)))
        assert Entry.objects.filter(action="submission.link_opened").count() == 1
        with connection.cursor() as cursor:
            cursor.execute("SELECT args::text FROM procrastinate_jobs")
            assert all(token not in row[0] for row in cursor.fetchall())


def test_applications_made_without_an_account_join_it_after_the_citizen_confirms(
    anonymous_submission, client_for, tenant_a
):
    # given: Anna creates an account with the same address and confirms it
    with schema_context(tenant_a.schema_name):
        user = accounts.register_citizen(
            actor=anonymous(),
            email="Anna@Example.com",
            full_name="Anna Muster",
            password="Lindenblatt-47",
        )
    browser = client_for(tenant_a)
    browser.sign_in("anna@example.com", "Lindenblatt-47")
    mine = f"/my/applications/{anonymous_submission.reference}/"

    # then: before confirming her address nothing is offered
    unverified = browser.get("/my/applications/claim/").content.decode()
    assert "sobald Ihre E-Mail-Adresse bestätigt ist" in unverified
    assert anonymous_submission.reference not in unverified
    with schema_context(tenant_a.schema_name):
        token = tokens.make_token(user, tokens.Purpose.VERIFY_EMAIL)
    verified = browser.get(f"/accounts/verify-email/{token}/").content.decode()
    assert "/my/applications/claim/" in verified

    # and after confirming, nothing has joined silently
    assert anonymous_submission.reference not in browser.get("/my/applications/").content.decode()
    assert browser.get(mine).status_code == 404
    listing = browser.get("/my/applications/").content.decode()
    assert "Prüfen und zu Ihrem Konto hinzufügen" in listing
    claim_page = browser.get("/my/applications/claim/").content.decode()
    assert anonymous_submission.reference in claim_page

    # and a reference with a NUL in it names nothing: a clear answer, not a server error
    junk = browser.post("/my/applications/claim/", {"reference": "ALP\x00"})
    assert junk.status_code == 400

    # when: she confirms
    done = browser.post("/my/applications/claim/", {"reference": anonymous_submission.reference})

    # then: the application is hers, and the joining is audited
    assert done.status_code == 302
    assert anonymous_submission.reference in browser.get("/my/applications/").content.decode()
    assert browser.get(mine).status_code == 200
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.get(pk=anonymous_submission.pk).user_id == user.pk
        entry = Entry.objects.get(action="submission.claimed")
    assert (entry.actor_kind, entry.actor_user_id) == ("citizen", user.pk)
    assert entry.object_id == anonymous_submission.reference


def test_nobody_claims_an_application_of_another_address(
    anonymous_submission, client_for, tenant_a
):
    # given: a verified citizen with another address
    with schema_context(tenant_a.schema_name):
        User.objects.create_user(
            "mallory@example.com",
            "Lindenblatt-47",
            role="citizen",
            full_name="M",
            email_verified_at=timezone.now(),
        )
    browser = client_for(tenant_a)
    browser.sign_in("mallory@example.com", "Lindenblatt-47")

    # when
    tried = browser.post("/my/applications/claim/", {"reference": anonymous_submission.reference})

    # then
    assert tried.status_code == 400
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.get(pk=anonymous_submission.pk).user_id is None


def test_how_long_a_link_works_is_a_setting_and_every_mail_starts_it_anew(
    published_form, tenant_a, settings
):
    # given: links that work for one day
    settings.PORTALWERK_SUBMISSION_LINK_DAYS = 1
    mail.outbox.clear()

    # when
    submission = make_submission(tenant_a, email="kurz@example.com")

    # then: the mail says so, and the link stops the day after
    (receipt,) = mails_to("kurz@example.com")
    assert "1 Tag gültig" in receipt.body
    with schema_context(tenant_a.schema_name):
        link = SubmissionLink.objects.get(submission=submission)
    left = link.expires_at - timezone.now()
    assert timedelta(hours=23) < left <= timedelta(days=1)


def test_a_link_holder_is_an_actor_of_one_submission_only():
    with pytest.raises(ValueError):
        link_holder("")
    holder = link_holder("ALP-2026-000001")
    assert holder.is_link_holder and not holder.is_signed_in and holder.user_id is None
    assert holder.label == "link:ALP-2026-000001"
    assert not capabilities.can_read_submissions(holder)
