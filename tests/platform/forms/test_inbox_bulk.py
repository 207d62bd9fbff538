"""Bulk actions on the inbox's selected rows (issue 15): a confirmation page that says what will
happen, then all of it or nothing, each submission checked and audited as on its own page; and
who may not do it changes nothing."""

import re

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.casework import bulk
from portalwerk.platform.casework import services as casework
from portalwerk.platform.forms.models import Submission
from tests.helpers.forms import jobs
from tests.platform.forms.test_inbox import (  # noqa: F401 (the autouse fixture)
    PASSWORD,
    _handed_over_before_payment,
    make_submission,
)

BULK = "/backoffice/inbox/bulk/"


@pytest.fixture
def clerk_client(client_for, tenant_a, clerk):
    client = client_for(tenant_a)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    client.sign_in(clerk.email)
    return client


@pytest.fixture
def colleague(tenant_a):
    with schema_context(tenant_a.schema_name):
        return User.objects.create_user(
            "max@alpha.example", PASSWORD, role=Role.CLERK_PROCESSOR, full_name="Max Muster"
        )


def three(tenant):
    return [make_submission(tenant, n, name=f"Person{n}") for n in (1, 2, 3)]


def test_bulk_assign_says_what_will_happen_then_does_it(
    clerk_client, published_form, tenant_a, colleague
):
    rows = three(tenant_a)
    ids = [s.pk for s in rows[:2]]
    # step 1: the confirmation page, and nothing has changed yet
    page = clerk_client.post(
        BULK, {"ids": ids, "action": "assign", "assignee": colleague.pk, "query": "status=received"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "2 Anträge werden Max Muster zugewiesen." in html
    assert rows[0].reference in html and rows[1].reference in html
    assert rows[2].reference not in html
    with schema_context(tenant_a.schema_name):
        assert not Submission.objects.filter(assigned_to=colleague).exists()
        # the page names the applicants: recorded as a page of the inbox is
        assert Entry.objects.filter(action="submission.listed").count() == 1
    # step 2: confirmed, back at the inbox as it was left, at the first row, with the message
    done = clerk_client.post(
        BULK,
        {
            "ids": ids,
            "action": "assign",
            "assignee": colleague.pk,
            "confirm": "1",
            "query": "status=received",
        },
    )
    assert done.status_code == 302
    assert done["Location"] == f"/backoffice/inbox/?status=received#row-{ids[0]}"
    inbox = clerk_client.get(done["Location"]).content.decode()
    assert "2 Anträge wurden Max Muster zugewiesen." in inbox
    with schema_context(tenant_a.schema_name):
        assert set(
            Submission.objects.filter(assigned_to=colleague).values_list("pk", flat=True)
        ) == set(ids)
        audited = Entry.objects.filter(action="submission.assigned")
        assert sorted(audited.values_list("object_id", flat=True)) == sorted(
            s.reference for s in rows[:2]
        )


def test_assign_to_me(clerk_client, published_form, tenant_a, clerk):
    rows = three(tenant_a)
    page = clerk_client.post(BULK, {"ids": [rows[0].pk], "action": "assign_me"})
    assert "1 Antrag wird Ihnen zugewiesen." in page.content.decode()
    clerk_client.post(BULK, {"ids": [rows[0].pk], "action": "assign_me", "confirm": "1"})
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.get(pk=rows[0].pk).assigned_to == clerk
        assert Submission.objects.filter(assigned_to__isnull=True).count() == 2


def test_a_status_change_names_those_that_cannot_and_changes_nothing_if_sent_anyway(
    clerk_client, published_form, tenant_a, clerk
):
    rows = three(tenant_a)
    with schema_context(tenant_a.schema_name):
        # the first is already completed: it cannot become "in progress"
        for status in ("in_progress", "completed"):
            casework.change_status(actor=from_user(clerk), submission_id=rows[0].pk, status=status)
        mails_before = len(jobs("send_status_mail"))
    ids = [s.pk for s in rows]
    page = clerk_client.post(BULK, {"ids": ids, "action": "status", "status": "in_progress"})
    html = page.content.decode()
    assert "2 Anträge erhalten den Status „in Bearbeitung“." in html
    assert "1 ausgewählter Antrag kann nicht geändert werden" in html
    assert f"{rows[0].reference} ist „abgeschlossen“ und kann nicht „in Bearbeitung“ werden" in html
    # the confirmation carries only the two that can
    assert re.findall(r'name="ids" value="(\d+)"', html) == [str(rows[1].pk), str(rows[2].pk)]
    # the refused one sent anyway (an old page, a hand-made request): nothing at all changes
    refused = clerk_client.post(
        BULK, {"ids": ids, "action": "status", "status": "in_progress", "confirm": "1"}
    )
    assert refused.status_code == 302
    message = clerk_client.get(refused["Location"]).content.decode()
    assert "Es wurde nichts geändert." in message and rows[0].reference in message
    with schema_context(tenant_a.schema_name):
        statuses = dict(Submission.objects.values_list("pk", "status"))
        assert [statuses[pk] for pk in ids] == ["completed", "received", "received"]
        assert len(jobs("send_status_mail")) == mails_before  # no citizen was told anything
    # the two that can, confirmed: both change, each with its history and the citizen's mail
    clerk_client.post(
        BULK,
        {"ids": ids[1:], "action": "status", "status": "in_progress", "confirm": "1"},
    )
    with schema_context(tenant_a.schema_name):
        statuses = dict(Submission.objects.values_list("pk", "status"))
        assert [statuses[pk] for pk in ids] == ["completed", "in_progress", "in_progress"]
        assert len(jobs("send_status_mail")) == mails_before + 2


def test_one_failure_midway_rolls_back_the_others(published_form, tenant_a, clerk, colleague):
    rows = three(tenant_a)
    with schema_context(tenant_a.schema_name):
        User.objects.filter(pk=colleague.pk).update(is_active=False)  # left the office
        with pytest.raises(ValidationError):
            bulk.apply_bulk(
                actor=from_user(clerk),
                submission_ids=[s.pk for s in rows],
                action="assign",
                assignee_id=colleague.pk,
            )
        assert not Submission.objects.filter(assigned_to__isnull=False).exists()


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"action": "assign_me"}, "Wählen Sie mindestens einen Antrag aus."),
        ({"action": "status", "status": ""}, "Wählen Sie den neuen Status."),
        (
            {"action": "assign", "assignee": "abc"},
            "Wählen Sie eine Person aus der Sachbearbeitung dieser Behörde aus.",
        ),
        ({"action": "delete"}, "Wählen Sie eine Aktion."),
    ],
)
def test_an_incomplete_bulk_action_is_a_message_on_the_inbox(
    post, message, clerk_client, published_form, tenant_a
):
    rows = three(tenant_a)
    if post != {"action": "assign_me"}:
        post = {**post, "ids": [rows[0].pk]}
    response = clerk_client.post(BULK, post, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    with schema_context(tenant_a.schema_name):
        assert not Submission.objects.filter(assigned_to__isnull=False).exists()
        assert set(Submission.objects.values_list("status", flat=True)) == {"received"}


@pytest.mark.parametrize("who", ["anonymous", "reader", "other tenant"])
def test_who_may_not_process_changes_nothing_in_bulk(
    who, client_for, published_form, tenant_a, other_tenant_clerk
):
    rows = three(tenant_a)
    client = client_for(tenant_a)
    if who == "reader":
        with schema_context(tenant_a.schema_name):
            User.objects.create_user("reader@alpha.example", PASSWORD, role=Role.CLERK_READER)
        client.sign_in("reader@alpha.example")
        # the reader's inbox offers the export, not the bulk changes
        html = client.get("/backoffice/inbox/").content.decode()
        assert "bulk-assign-me" not in html and 'value="csv"' in html
    elif who == "other tenant":
        client.sign_in(other_tenant_clerk.email)
    ids = [s.pk for s in rows]
    for data in (
        {"ids": ids, "action": "assign_me", "confirm": "1"},
        {"ids": ids, "action": "status", "status": "rejected", "confirm": "1"},
    ):
        response = client.post(BULK, data)
        if who == "reader":  # back to the inbox, told why
            assert response.status_code == 302
            assert response["Location"].startswith("/backoffice/inbox/")
        else:
            assert response.status_code == 302 and "/login/" in response["Location"]
    with schema_context(tenant_a.schema_name):
        assert not Submission.objects.filter(assigned_to__isnull=False).exists()
        assert set(Submission.objects.values_list("status", flat=True)) == {"received"}
        assert not Entry.objects.filter(action="submission.assigned").exists()
