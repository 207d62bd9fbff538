"""The clerk inbox: list and filters, detail with audit log, status workflow with mails,
messages, assignment, export, and who may do what."""

import csv
import io
import json

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.casework import services as casework
from portalwerk.platform.casework.models import Message
from portalwerk.platform.forms import services
from portalwerk.platform.forms.models import Submission
from tests.helpers.forms import png, run_jobs

PASSWORD = "Test-Passwort-2026!"


@pytest.fixture(autouse=True)
def _handed_over_before_payment(published_form, tenant_a):
    """The dog licence has a fee; a submission with a fee waits for its payment before the
    office sees it, unless the fee account says "hand over immediately", as this office's does
    (the inbox is what these tests are about, not the payment)."""
    from portalwerk.billing.payments.models import FeeAccount, HandOverPolicy

    with schema_context(tenant_a.schema_name):
        FeeAccount.objects.create(service_key="hundesteuer", hand_over=HandOverPolicy.IMMEDIATELY)


def make_submission(tenant, n=0, name="Anna", email="anna@example.com", user=None):
    with schema_context(tenant.schema_name):
        from portalwerk.platform.forms.models import Form

        form = Form.objects.get(slug="dog-licence")
        draft = services.start_draft(actor=from_user(user), form=form)
        services.save_step(
            actor=from_user(user),
            draft=draft,
            step_key="person",
            raw={"first_name": name, "last_name": f"Muster{n}", "email": email},
        )
        services.save_step(
            actor=from_user(user), draft=draft, step_key="dog", raw={"has_dog": "no"}
        )
        services.save_step(
            actor=from_user(user), draft=draft, step_key="confirm", raw={"truth": True}
        )
        submission = services.submit_draft(actor=from_user(user), draft=draft)
        run_jobs("send_submission_receipt")
        return submission


@pytest.fixture
def submission(published_form, tenant_a):
    return make_submission(tenant_a)


@pytest.fixture
def clerk_client(client_for, tenant_a, clerk):
    client = client_for(tenant_a)
    client.sign_in(clerk.email)
    return client


def test_the_inbox_lists_filters_and_searches(clerk_client, published_form, tenant_a, clerk):
    first = make_submission(tenant_a, 1, name="Anna")
    assert first.reference.startswith("ALP-")  # the tenant's prefix, also outside a request
    second = make_submission(tenant_a, 2, name="Bernd")
    with schema_context(tenant_a.schema_name):
        casework.change_status(
            actor=from_user(clerk), submission_id=second.pk, status="in_progress"
        )
        casework.assign_submission(
            actor=from_user(clerk), submission_id=second.pk, assignee_id=clerk.pk
        )
    page = clerk_client.get("/backoffice/inbox/").content.decode()
    assert first.reference in page and second.reference in page
    found = clerk_client.get("/backoffice/inbox/", {"q": "bernd"}).content.decode()
    assert second.reference in found and first.reference not in found
    found = clerk_client.get("/backoffice/inbox/", {"q": first.reference}).content.decode()
    assert first.reference in found and second.reference not in found
    found = clerk_client.get("/backoffice/inbox/", {"status": "received"}).content.decode()
    assert first.reference in found and second.reference not in found
    found = clerk_client.get("/backoffice/inbox/", {"assigned": "me"}).content.decode()
    assert second.reference in found and first.reference not in found
    found = clerk_client.get(
        "/backoffice/inbox/", {"form": published_form.pk, "from": "2000-01-01", "to": "2000-01-02"}
    ).content.decode()
    assert first.reference not in found and "Keine passenden Anträge gefunden." in found


def test_the_inbox_query_count_does_not_grow_with_rows(clerk_client, published_form, tenant_a):
    references = [make_submission(tenant_a, 0).reference]

    def count() -> tuple[int, int]:
        """(queries, submissions of `references` listed) of one look at the inbox."""
        with CaptureQueriesContext(connection) as ctx:
            response = clerk_client.get("/backoffice/inbox/")
        assert response.status_code == 200
        html = response.content.decode()
        return len(ctx.captured_queries), sum(reference in html for reference in references)

    one, listed = count()
    assert listed == 1
    for n in range(1, 12):
        references.append(make_submission(tenant_a, n).reference)
    # the clerk sees all twelve, for the queries one cost
    assert count() == (one, 12)


def test_opening_a_submission_shows_answers_and_is_audited(clerk_client, submission, tenant_a):
    html = clerk_client.get(f"/backoffice/inbox/{submission.pk}/").content.decode()
    assert "Anna" in html and "anna@example.com" in html and submission.reference in html
    with schema_context(tenant_a.schema_name):
        entry = Entry.objects.get(action="submission.opened")
        clerk_id = User.objects.get(email="clerk@alpha.example").pk
    assert (entry.actor_kind, entry.actor_user_id) == ("clerk", clerk_id)
    assert (entry.object_type, entry.object_id) == ("submission", submission.reference)
    assert "@" not in str(entry.detail) and entry.request_id


def test_status_workflow_notifies_the_citizen_without_personal_data(
    clerk_client, submission, tenant_a
):
    mail.outbox.clear()
    r = clerk_client.post(
        f"/backoffice/inbox/{submission.pk}/", {"action": "status", "status": "in_progress"}
    )
    assert r.status_code == 302
    with schema_context(tenant_a.schema_name):
        run_jobs("send_status_mail")
        assert Submission.objects.get().status == "in_progress"
    message = mail.outbox[0]
    assert message.to == ["anna@example.com"]
    assert "/my/applications/link/" in message.body  # the applicant's own way in
    assert "Anna" not in message.body and "Muster" not in message.body
    # a transition the workflow does not have changes nothing
    r = clerk_client.post(
        f"/backoffice/inbox/{submission.pk}/", {"action": "status", "status": "received"}
    )
    assert r.status_code == 400
    for step in ("waiting", "in_progress"):
        clerk_client.post(
            f"/backoffice/inbox/{submission.pk}/", {"action": "status", "status": step}
        )
    # a status that cannot be left again is asked for once more, saying so
    detail = f"/backoffice/inbox/{submission.pk}/"
    asked = clerk_client.post(
        detail, {"action": "status", "status": "completed"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "cannot be changed any more" in asked.content.decode()
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.get().status == "in_progress"
    clerk_client.post(detail, {"action": "status", "status": "completed", "confirmed": "yes"})
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.get().status == "completed"
        assert [c.new_status for c in Submission.objects.get().status_changes.all()] == [
            "in_progress",
            "waiting",
            "in_progress",
            "completed",
        ]
    r = clerk_client.post(
        f"/backoffice/inbox/{submission.pk}/", {"action": "status", "status": "rejected"}
    )
    assert r.status_code == 400


def test_messages_go_both_ways_with_attachments(
    clerk_client, client_for, published_form, tenant_a, citizen
):
    submission = make_submission(tenant_a, user=citizen)
    mail.outbox.clear()
    r = clerk_client.post(
        f"/backoffice/inbox/{submission.pk}/",
        {"action": "message", "body": "Bitte Foto nachreichen.", "attachment": png("info.png")},
    )
    assert r.status_code == 302
    with schema_context(tenant_a.schema_name):
        run_jobs("send_status_mail")
        attachment = Message.objects.get().attachments.get()
    assert "Bitte Foto" not in mail.outbox[0].body
    citizen_client = client_for(tenant_a)
    citizen_client.sign_in(citizen.email)
    page = citizen_client.get(f"/my/applications/{submission.reference}/").content.decode()
    assert "Bitte Foto nachreichen." in page and "info.png" in page
    assert citizen_client.get(f"/files/{attachment.pk}/").status_code == 200
    assert client_for(tenant_a).get(f"/files/{attachment.pk}/").status_code == 404
    r = citizen_client.post(
        f"/my/applications/{submission.reference}/", {"body": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert r.status_code == 400 and "There is a problem" in r.content.decode()
    citizen_client.post(f"/my/applications/{submission.reference}/", {"body": "Anbei."})
    assert "Anbei." in clerk_client.get(f"/backoffice/inbox/{submission.pk}/").content.decode()


def test_export_selected_as_csv_and_json_is_audited(clerk_client, published_form, tenant_a):
    a = make_submission(tenant_a, 1, name="=HYPERLINK(evil)")
    b = make_submission(tenant_a, 2, name="Bernd")
    make_submission(tenant_a, 3, name="Carla")
    r = clerk_client.post("/backoffice/inbox/export/", {"ids": [a.pk, b.pk], "format": "csv"})
    assert r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert [row["Aktenzeichen"] for row in rows] == [a.reference, b.reference]
    assert rows[0]["Vorname"] == "'=HYPERLINK(evil)"
    r = clerk_client.post("/backoffice/inbox/export/", {"ids": [b.pk], "format": "json"})
    data = json.loads(r.content)
    assert data[0]["answers"]["first_name"] == "Bernd" and len(data) == 1
    with schema_context(tenant_a.schema_name):
        assert Entry.objects.filter(action="submission.exported").count() == 3
    nothing = clerk_client.post("/backoffice/inbox/export/", {"format": "csv"}, follow=True)
    assert "Wählen Sie mindestens einen Antrag für den Export aus." in nothing.content.decode()


def test_assignment_only_to_clerks(clerk_client, submission, tenant_a, citizen):
    r = clerk_client.post(
        f"/backoffice/inbox/{submission.pk}/", {"action": "assign", "assignee": citizen.pk}
    )
    assert r.status_code == 400
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.get().assigned_to is None


@pytest.mark.parametrize("who", ["anonymous", "citizen", "reader", "other tenant"])
def test_who_may_not_work_the_inbox_sees_and_changes_nothing(
    who, client_for, submission, tenant_a, tenant_b, citizen, other_tenant_clerk
):
    client = client_for(tenant_a)
    if who == "citizen":
        client.sign_in(citizen.email)
    elif who == "reader":
        with schema_context(tenant_a.schema_name):
            User.objects.create_user("reader@alpha.example", PASSWORD, role=Role.CLERK_READER)
        client.sign_in("reader@alpha.example")
    elif who == "other tenant":
        client.sign_in(other_tenant_clerk.email)  # an account of tenant B, on tenant A's host
    listing = client.get("/backoffice/inbox/")
    detail = client.get(f"/backoffice/inbox/{submission.pk}/")
    change = client.post(
        f"/backoffice/inbox/{submission.pk}/", {"action": "status", "status": "rejected"}
    )
    export = client.post("/backoffice/inbox/export/", {"ids": [submission.pk], "format": "json"})
    if who == "reader":
        # a reader may read (audited) but not change
        assert submission.reference in listing.content.decode()
        assert change.status_code == 400
    else:
        for response in (listing, detail, change, export):
            assert response.status_code == 302 and "/login/" in response["Location"]
            assert "Anna" not in response.content.decode()
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.get().status == "received"
    # and the other tenant's own host does not know the submission either
    other = client_for(tenant_b)
    other.sign_in(other_tenant_clerk.email)
    assert other.get(f"/backoffice/inbox/{submission.pk}/").status_code == 404


def test_the_back_office_and_the_portal_lead_clerks_to_the_inbox(clerk_client):
    index = clerk_client.get("/backoffice/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/backoffice/inbox/"' in index
    home = clerk_client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/backoffice/inbox/"' in home
