"""The forms part of the tenant API at /graphql/ on the tenant host."""

import base64
import json

import pytest
from django_tenants.utils import schema_context

from portalwerk.graphql.core import ids
from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.forms.models import Submission
from tests.helpers.forms import PNG, publish_form

DEFINITION = {
    "steps": [
        {"key": "person", "title": "Person", "fields": [
            {"key": "first_name", "type": "text", "label": "Vorname", "required": True},
            {"key": "email", "type": "email", "label": "E-Mail", "required": True},
            {"key": "photo", "type": "file", "label": "Foto",
             "validation": {"file_types": ["png"]}},
        ]},
    ]
}  # fmt: skip

PASSWORD = "Test-Passwort-2026!"


class Caller:
    """One API client (its own cookies), signed in as `user` or anonymous, on one tenant host."""

    def __init__(self, client_for, tenant, user=None):
        self.client = client_for(tenant)
        if user is not None:
            assert self.client.sign_in(user.email).status_code == 302

    def raw(self, query: str, **variables) -> dict:
        response = self.client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables}),
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 200, response.content
        return response.json()

    def __call__(self, query: str, **variables):
        body = self.raw(query, **variables)
        assert "errors" not in body, body
        return body["data"]


@pytest.fixture
def api_form(tenant_a, clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with schema_context(tenant_a.schema_name):
        return publish_form(clerk, "api-form", {"de": "API", "en": "API"}, DEFINITION)


START = (
    "mutation($slug: String!) { startForm(slug: $slug) { draft { id nextStep } errors { code } } }"
)
SAVE = """mutation($id: ID!, $step: String!, $answers: JSON!) {
  saveStep(draftId: $id, step: $step, answers: $answers) {
    draft { answers completedSteps nextStep } errors { field code message } } }"""
UPLOAD = """mutation($id: ID!, $b64: String!) {
  uploadFile(draftId: $id, field: "photo", name: "p.png", contentBase64: $b64) {
    upload { id answer kind } errors { field code } } }"""
SUBMIT = """mutation($id: ID!, $key: String!) {
  submitForm(draftId: $id, idempotencyKey: $key) {
    submission { reference status } errors { code message } } }"""


def fill(call):
    draft = call(START, slug="api-form")["startForm"]["draft"]
    b64 = base64.b64encode(PNG).decode()
    upload = call(UPLOAD, id=draft["id"], b64=b64)["uploadFile"]["upload"]
    answers = {"first_name": "Anna", "email": "anna@example.com", "photo": upload["answer"]}
    saved = call(SAVE, id=draft["id"], step="person", answers=answers)["saveStep"]
    assert saved["errors"] == [] and saved["draft"]["nextStep"] is None
    return draft["id"]


def test_a_citizen_fills_and_submits_through_the_api_exactly_once(client_for, api_form, tenant_a):
    call = Caller(client_for, tenant_a)
    form = call('{ form(slug: "api-form") { title version steps { key } } }')["form"]
    assert form == {"title": "API", "version": 1, "steps": [{"key": "person"}]}
    draft_id = fill(call)
    first = call(SUBMIT, id=draft_id, key="k-1")["submitForm"]
    again = call(SUBMIT, id=draft_id, key="k-1")["submitForm"]
    assert first["submission"]["reference"] == again["submission"]["reference"]
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.count() == 1


def test_bad_answers_come_back_as_errors_and_change_nothing(client_for, api_form, tenant_a):
    call = Caller(client_for, tenant_a)
    draft = call(START, slug="api-form")["startForm"]["draft"]
    result = call(
        SAVE,
        id=draft["id"],
        step="person",
        answers={"first_name": ["not", "text"], "email": "x", "is_admin": True},
    )["saveStep"]
    codes = {(e["field"], e["code"]) for e in result["errors"]}
    assert codes == {
        ("first_name", "invalid_type"),
        ("email", "invalid_email"),
        ("is_admin", "unknown_field"),
    }
    assert result["draft"] is None
    fake = base64.b64encode(b"%PDF-1.4 pretending").decode()
    upload = call(UPLOAD, id=draft["id"], b64=fake)["uploadFile"]
    assert upload["errors"] == [{"field": "photo", "code": "file_type"}]
    submit = call(SUBMIT, id=draft["id"], key="k")["submitForm"]
    assert submit["errors"][0]["code"] == "incomplete"


def test_another_citizens_or_tenants_draft_is_not_found(client_for, api_form, tenant_a, tenant_b):
    owner = Caller(client_for, tenant_a)
    draft_id = fill(owner)
    for stranger in (Caller(client_for, tenant_a), Caller(client_for, tenant_b)):
        assert stranger("query($id: ID!) { draft(id: $id) { id } }", id=draft_id)["draft"] is None
        result = stranger(SUBMIT, id=draft_id, key="z")["submitForm"]
        assert result["errors"][0]["code"] == "not_found"
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.count() == 0


def test_clerk_inbox_operations_and_their_permissions(
    client_for, api_form, tenant_a, clerk, citizen
):
    citizen_call = Caller(client_for, tenant_a, citizen)
    submit = citizen_call(SUBMIT, id=fill(citizen_call), key="c")["submitForm"]
    reference = submit["submission"]["reference"]
    mine = citizen_call("{ mySubmissions { reference status } }")["mySubmissions"]
    assert mine == [{"reference": reference, "status": "received"}]
    clerk_call = Caller(client_for, tenant_a, clerk)
    inbox = clerk_call("{ inbox(first: 10) { totalCount edges { node { id reference } } } }")
    node = inbox["inbox"]["edges"][0]["node"]
    assert node["reference"] == reference
    # seeing the inbox (applicants' names) is recorded: the page and which filters were set
    clerk_call('{ inbox(first: 1, status: "received") { edges { node { id } } } }')
    with schema_context(tenant_a.schema_name):
        listed = Entry.objects.filter(action="submission.listed").order_by("id")
        assert [(e.actor_user_id, e.detail) for e in listed] == [
            (clerk.pk, {"page": 1, "rows": 1, "filtered": []}),
            (clerk.pk, {"page": 1, "rows": 1, "filtered": ["status"]}),
        ]
    detail = clerk_call("query($id: ID!) { inboxSubmission(id: $id) { answers } }", id=node["id"])[
        "inboxSubmission"
    ]
    assert detail["answers"]["first_name"] == "Anna"
    changed = clerk_call(
        'mutation($id: ID!) { changeSubmissionStatus(id: $id, status: "in_progress") '
        "{ submission { status } errors { code } } }",
        id=node["id"],
    )["changeSubmissionStatus"]
    assert changed == {"submission": {"status": "in_progress"}, "errors": []}
    message = clerk_call(
        'mutation($id: ID!) { sendMessage(id: $id, body: "Hallo") { errors { code } } }',
        id=node["id"],
    )
    assert message["sendMessage"]["errors"] == []
    with schema_context(tenant_a.schema_name):
        clerk_id = str(ids.encode("Clerk", clerk.pk))
    assigned = clerk_call(
        "mutation($id: ID!, $c: ID) { assignSubmission(id: $id, clerkId: $c) "
        "{ submission { assignedTo assignedToId } } }",
        id=node["id"],
        c=clerk_id,
    )
    assert assigned["assignSubmission"]["submission"] == {
        "assignedTo": clerk.email,
        "assignedToId": clerk_id,
    }
    export = clerk_call(
        'mutation($ids: [ID!]!) { exportSubmissions(ids: $ids, format: "json") { content } }',
        ids=[node["id"]],
    )
    assert reference in export["exportSubmissions"]["content"]
    # a citizen and a reader may not work the inbox; nothing changes
    with schema_context(tenant_a.schema_name):
        reader = User.objects.create_user("r@alpha.example", PASSWORD, role=Role.CLERK_READER)
    for caller in (
        citizen_call,
        Caller(client_for, tenant_a, reader),
        Caller(client_for, tenant_a),
    ):
        refused = caller(
            'mutation($id: ID!) { changeSubmissionStatus(id: $id, status: "rejected") '
            "{ submission { status } errors { field code } } }",
            id=node["id"],
        )["changeSubmissionStatus"]
        assert refused == {
            "submission": None,
            "errors": [{"field": None, "code": "permission_denied"}],
        }
    stranger = Caller(client_for, tenant_a)
    body = stranger.raw("{ inbox(first: 5) { totalCount } }")
    assert body["data"] is None and "Anna" not in json.dumps(body)
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.get().status == "in_progress"
        assert Entry.objects.filter(action="submission.listed").count() == 2


def test_inbox_and_my_submissions_query_counts_do_not_grow_with_rows(
    client_for, api_form, tenant_a, clerk, citizen
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    citizen_call = Caller(client_for, tenant_a, citizen)
    clerk_call = Caller(client_for, tenant_a, clerk)

    def submit_one(n):
        citizen_call(SUBMIT, id=fill(citizen_call), key=f"q{n}")
        with schema_context(tenant_a.schema_name):
            from portalwerk.platform.casework.services import send_message

            send_message(
                actor=from_user(clerk), submission_id=Submission.objects.latest("pk").pk, body="Hi"
            )

    inbox = "{ inbox(first: 50) { edges { node { reference assignedTo formSlug version } } } }"
    mine = "{ mySubmissions { reference formTitle messages { body attachments { name } } } }"

    def measure() -> tuple[tuple[int, int], tuple[int, int, int]]:
        """(queries of the inbox, of my submissions), (inbox rows, my submissions, messages)"""
        with CaptureQueriesContext(connection) as clerk_queries:
            inbox_data = clerk_call(inbox)
        with CaptureQueriesContext(connection) as citizen_queries:
            mine_data = citizen_call(mine)["mySubmissions"]
        shown = (
            len(inbox_data["inbox"]["edges"]),
            len(mine_data),
            sum(len(submission["messages"]) for submission in mine_data),
        )
        return (len(clerk_queries), len(citizen_queries)), shown

    submit_one(0)
    one, shown = measure()
    assert shown == (1, 1, 1)
    for n in range(1, 6):
        submit_one(n)
    # the clerk's inbox and the citizen's list show all six, each with its message, for the
    # queries one cost
    assert measure() == (one, (6, 6, 6))
