"""saveStep with answers far beyond any form: refused at once, with one error."""

import json

import pytest

from tests.graphql.forms.test_forms_api import SAVE, START, Caller, api_form  # noqa: F401


@pytest.mark.usefixtures("api_form")
def test_fifty_thousand_unknown_keys_are_refused_with_one_error(client_for, tenant_a):
    # given a draft
    call = Caller(client_for, tenant_a)
    draft = call(START, slug="api-form")["startForm"]["draft"]
    answers = {"first_name": "Anna", **{f"k{n}": "x" for n in range(50_000)}}
    # when saveStep is sent 50,000 keys that are no question
    response = call.client.post(
        "/graphql/",
        data=json.dumps({"query": SAVE, "variables": {"id": draft["id"], "step": "person",
                                                      "answers": answers}}),
        content_type="application/json",
    )  # fmt: skip
    # then one error says why, in German, and the draft is unchanged
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "invalid_input"
    assert error["message"] == "Eine Eingabe enthält mehr als 500 Einträge."
    assert call("query ($id: ID!) { draft(id: $id) { answers } }", id=draft["id"]) == {
        "draft": {"answers": {}}
    }


@pytest.mark.usefixtures("api_form")
def test_a_few_unknown_keys_are_one_payload_error(client_for, tenant_a):
    call = Caller(client_for, tenant_a)
    draft = call(START, slug="api-form")["startForm"]["draft"]
    answers = {"first_name": "Anna", "email": "a@b.de", "x1": 1, "x2": 2, "x3": 3}
    result = call(SAVE, id=draft["id"], step="person", answers=answers)["saveStep"]
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("x1", "unknown_field")]
