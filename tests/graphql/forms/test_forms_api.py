"""The forms part of the tenant API, on a schema made of the forms types alone (the wiring into
graphql/schema_tenant.py comes with the merge of the GraphQL core)."""

import base64

import pytest
import strawberry
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django_tenants.utils import schema_context
from strawberry.tools import merge_types

from portalwerk.graphql.forms.mutations import FormsMutation
from portalwerk.graphql.forms.queries import FormsQuery
from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.forms import services
from portalwerk.platform.forms.models import Submission

schema = strawberry.Schema(query=merge_types("Query", (FormsQuery,)), mutation=FormsMutation)

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
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


class Caller:
    """One browser: a user (or none) and a session, on one tenant."""

    def __init__(self, tenant, user=None):
        self.tenant, self.user, self.session = tenant, user, SessionStore()

    def __call__(self, query: str, **variables):
        request = RequestFactory().post("/graphql/")
        request.tenant = self.tenant
        request.user = self.user or AnonymousUser()
        request.session = self.session
        with schema_context(self.tenant.schema_name):
            result = schema.execute_sync(
                query, variable_values=variables, context_value={"request": request}
            )
        assert result.errors is None, result.errors
        return result.data


@pytest.fixture
def api_form(tenant_a, clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with schema_context(tenant_a.schema_name):
        form = services.create_form(
            actor=clerk, slug="api-form", title={"de": "API", "en": "API"}, definition=DEFINITION
        )
        services.publish_version(actor=clerk, version=form.versions.get())
    return form


START = (
    "mutation($slug: String!) { startForm(slug: $slug) { draft { id nextStep } errors { code } } }"
)
SAVE = """mutation($id: ID!, $step: String!, $answers: JSON!) {
  saveStep(draftId: $id, step: $step, answers: $answers) {
    draft { answers completedSteps nextStep } errors { field code message } } }"""
UPLOAD = """mutation($id: ID!, $b64: String!) {
  uploadFile(draftId: $id, field: "photo", name: "p.png", contentBase64: $b64) {
    upload { id kind } errors { field code } } }"""
SUBMIT = """mutation($id: ID!, $key: String!) {
  submitForm(draftId: $id, idempotencyKey: $key) {
    submission { reference status } errors { code message } } }"""


def fill(call):
    draft = call(START, slug="api-form")["startForm"]["draft"]
    b64 = base64.b64encode(PNG).decode()
    upload = call(UPLOAD, id=draft["id"], b64=b64)["uploadFile"]["upload"]
    answers = {"first_name": "Anna", "email": "anna@example.com", "photo": upload["id"]}
    saved = call(SAVE, id=draft["id"], step="person", answers=answers)["saveStep"]
    assert saved["errors"] == [] and saved["draft"]["nextStep"] is None
    return draft["id"]


def test_a_citizen_fills_and_submits_through_the_api_exactly_once(api_form, tenant_a):
    call = Caller(tenant_a)
    form = call('{ form(slug: "api-form") { title version steps { key } } }')["form"]
    assert form == {"title": "API", "version": 1, "steps": [{"key": "person"}]}
    draft_id = fill(call)
    first = call(SUBMIT, id=draft_id, key="k-1")["submitForm"]
    again = call(SUBMIT, id=draft_id, key="k-1")["submitForm"]
    assert first["submission"]["reference"] == again["submission"]["reference"]
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.count() == 1


def test_bad_answers_come_back_as_errors_and_change_nothing(api_form, tenant_a):
    call = Caller(tenant_a)
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


def test_another_citizens_or_tenants_draft_is_not_found(api_form, tenant_a, tenant_b):
    owner = Caller(tenant_a)
    draft_id = fill(owner)
    for stranger in (Caller(tenant_a), Caller(tenant_b)):
        assert stranger("query($id: ID!) { draft(id: $id) { id } }", id=draft_id)["draft"] is None
        result = stranger(SUBMIT, id=draft_id, key="z")["submitForm"]
        assert result["errors"][0]["code"] == "not_found"
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.count() == 0


def test_clerk_inbox_operations_and_their_permissions(api_form, tenant_a, clerk, citizen):
    citizen_call = Caller(tenant_a, citizen)
    submit = citizen_call(SUBMIT, id=fill(citizen_call), key="c")["submitForm"]
    reference = submit["submission"]["reference"]
    mine = citizen_call("{ mySubmissions { reference status } }")["mySubmissions"]
    assert mine == [{"reference": reference, "status": "received"}]
    clerk_call = Caller(tenant_a, clerk)
    inbox = clerk_call("{ inbox(first: 10) { totalCount edges { node { id reference } } } }")
    node = inbox["inbox"]["edges"][0]["node"]
    assert node["reference"] == reference
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
    assigned = clerk_call(
        "mutation($id: ID!, $c: Int) { assignSubmission(id: $id, clerkId: $c) "
        "{ submission { assignedTo } } }",
        id=node["id"],
        c=clerk.pk,
    )
    assert assigned["assignSubmission"]["submission"]["assignedTo"] == clerk.email
    export = clerk_call(
        'mutation($ids: [ID!]!) { exportSubmissions(ids: $ids, format: "json") { content } }',
        ids=[node["id"]],
    )
    assert reference in export["exportSubmissions"]["content"]
    # a citizen and a reader may not work the inbox; nothing changes
    with schema_context(tenant_a.schema_name):
        reader = User.objects.create_user("r@alpha.example", role=Role.CLERK_READER)
    for who in (citizen, reader):
        request = RequestFactory().post("/graphql/")
        request.tenant, request.user, request.session = tenant_a, who, SessionStore()
        with schema_context(tenant_a.schema_name):
            result = schema.execute_sync(
                'mutation($id: ID!) { changeSubmissionStatus(id: $id, status: "rejected") '
                "{ errors { code } } }",
                variable_values={"id": node["id"]},
                context_value={"request": request},
            )
        assert result.errors and result.data is None
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.get().status == "in_progress"
