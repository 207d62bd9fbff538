"""Forms that need a sign-in of a level of assurance, through the tenant API: the form says what
it needs; starting, saving, uploading and submitting below it answer a typed error with the
page's message and write nothing; the clerk's submission type says how it was made."""

from __future__ import annotations

import base64

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.forms.models import Draft, Submission, Upload
from tests.graphql.forms.test_forms_api import Caller
from tests.helpers.forms import PNG, publish_form
from tests.helpers.signed_in import BUSINESS, LOW, SUBSTANTIAL, definition, remember

START = """mutation($slug: String!) { startForm(slug: $slug) {
  draft { id answers } errors { field code message } } }"""
SAVE = """mutation($id: ID!, $step: String!, $answers: JSON!) {
  saveStep(draftId: $id, step: $step, answers: $answers) {
    draft { completedSteps } errors { field code message } } }"""
UPLOAD = """mutation($id: ID!, $b64: String!) {
  uploadFile(draftId: $id, field: "scan", name: "p.png", contentBase64: $b64) {
    upload { id } errors { field code message } } }"""
SUBMIT = """mutation($id: ID!, $key: String!) {
  submitForm(draftId: $id, idempotencyKey: $key) {
    submission { reference } errors { field code message } } }"""
PERSON = {
    "first_name": "Erika",
    "last_name": "Mustermann",
    "born": "1984-08-12",
    "home": {
        "street": "Lindenallee",
        "house_number": "12a",
        "postcode": "12345",
        "city": "Musterstadt",
    },
}
NEEDS_SUBSTANTIAL = (
    "For this application you need a service account with the level of assurance substantial. "
    "You are signed in with the level of assurance low. The office has to be sure who is "
    "applying. Nothing has been saved or sent."
)


def _with_scan(**sign_in) -> dict:
    found = definition(**sign_in)
    scan = {"key": "scan", "type": "file", "label": "Scan", "validation": {"file_types": ["png"]}}
    found["steps"][1]["fields"].append(scan)
    return found


@pytest.fixture
def forms(tenant_a, clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with schema_context(tenant_a.schema_name):
        publish_form(clerk, "residence", {"de": "M", "en": "R"}, _with_scan(level="substantial"))
        publish_form(clerk, "trade", {"de": "G", "en": "T"}, _with_scan(account="business"))


def _caller(client_for, tenant, citizen, signed_in_with=None) -> Caller:
    call = Caller(client_for, tenant, citizen)
    if signed_in_with is not None:
        remember(call.client, tenant, signed_in_with)
    return call


def _written(tenant) -> tuple[int, int, int]:
    with schema_context(tenant.schema_name):
        return Draft.objects.count(), Submission.objects.count(), Upload.objects.count()


def test_the_form_says_which_sign_in_it_needs(client_for, tenant_a, forms):
    call = Caller(client_for, tenant_a)
    query = '{ form(slug: "%s") { signIn { level account text } } }'
    assert call(query % "residence")["form"]["signIn"] == {
        "level": "substantial",
        "account": None,
        "text": "For this application you need a service account with the level of "
        "assurance substantial.",
    }
    assert call(query % "trade")["form"]["signIn"] == {
        "level": "none",
        "account": "business",
        "text": "For this application you need a business account.",
    }


def test_below_the_level_starting_answers_a_typed_error_and_writes_nothing(
    client_for, tenant_a, citizen, forms
):
    call = _caller(client_for, tenant_a, citizen, LOW)
    result = call(START, slug="residence")["startForm"]
    assert result["draft"] is None
    assert result["errors"] == [
        {"field": None, "code": "sign_in_too_weak", "message": NEEDS_SUBSTANTIAL}
    ]
    assert _written(tenant_a) == (0, 0, 0)


def test_after_the_sign_in_dropped_saving_uploading_and_submitting_are_refused(
    client_for, tenant_a, citizen, forms
):
    call = _caller(client_for, tenant_a, citizen, SUBSTANTIAL)
    started = call(START, slug="residence")["startForm"]
    assert started["errors"] == []
    draft_id = started["draft"]["id"]
    # prefilled from the state account
    assert started["draft"]["answers"]["home"]["city"] == "Musterstadt"
    assert call(SAVE, id=draft_id, step="person", answers=PERSON)["saveStep"]["errors"] == []
    with schema_context(tenant_a.schema_name):
        before = Draft.objects.values("answers", "completed_steps", "updated_at").get()
    remember(call.client, tenant_a, LOW)
    refused = {"field": None, "code": "sign_in_too_weak", "message": NEEDS_SUBSTANTIAL}
    saved = call(SAVE, id=draft_id, step="confirm", answers={"truth": True})["saveStep"]
    assert saved == {"draft": None, "errors": [refused]}
    uploaded = call(UPLOAD, id=draft_id, b64=base64.b64encode(PNG).decode())["uploadFile"]
    assert uploaded == {"upload": None, "errors": [refused]}
    submitted = call(SUBMIT, id=draft_id, key="k-1")["submitForm"]
    assert submitted == {"submission": None, "errors": [refused]}
    with schema_context(tenant_a.schema_name):
        assert Draft.objects.values("answers", "completed_steps", "updated_at").get() == before
    assert _written(tenant_a) == (1, 0, 0)


def test_a_business_form_refuses_a_personal_account(client_for, tenant_a, citizen, forms):
    call = _caller(client_for, tenant_a, citizen, SUBSTANTIAL)
    result = call(START, slug="trade")["startForm"]
    assert result["errors"] == [
        {
            "field": None,
            "code": "account_kind_required",
            "message": "For this application you need a business account. You are signed in "
            "with a personal account. The office has to be sure who is applying. Nothing has "
            "been saved or sent.",
        }
    ]
    assert _written(tenant_a) == (0, 0, 0)


def test_the_clerk_sees_how_a_submission_was_made(client_for, tenant_a, citizen, clerk, forms):
    call = _caller(client_for, tenant_a, citizen, BUSINESS)
    draft_id = call(START, slug="trade")["startForm"]["draft"]["id"]
    corrected = {**PERSON, "last_name": "Musterfrau"}
    assert call(SAVE, id=draft_id, step="person", answers=corrected)["saveStep"]["errors"] == []
    assert (
        call(SAVE, id=draft_id, step="confirm", answers={"truth": True})["saveStep"]["errors"] == []
    )
    assert call(SUBMIT, id=draft_id, key="k-1")["submitForm"]["errors"] == []
    office = Caller(client_for, tenant_a, clerk)
    node = office("{ inbox(first: 1) { edges { node { id identity { level } } } } }")["inbox"][
        "edges"
    ][0]["node"]
    assert node["identity"] is None  # like the answers: only on the audited detail
    identity = office(
        """query($id: ID!) { inboxSubmission(id: $id) { identity {
          provider level levelText kind organisationName organisationId representative
          verified } } }""",
        id=node["id"],
    )["inboxSubmission"]["identity"]
    assert identity == {
        "provider": "elster",
        "level": "substantial",
        "levelText": "substantial",
        "kind": "business",
        "organisationName": "Muster Bau GmbH",
        "organisationId": "DE123456789",
        "representative": "Erika Mustermann",
        "verified": ["first_name"],  # the last name was corrected; no address or birth date given
    }
