"""The one global-ID codec: round trip, and one "not found" for whatever it refuses."""

import base64

import pytest
from django.db import connection

from portalwerk.graphql.core import ids


@pytest.fixture
def on_alpha(tenant_a):
    connection.set_tenant(tenant_a)
    yield tenant_a
    connection.set_schema_to_public()


def _refusal(call) -> list[tuple[str, str]]:
    with pytest.raises(ids.NotFound) as refused:
        call()
    return [(e.code, e.message) for e in refused.value.error_list]


def test_an_id_round_trips_and_is_a_relay_global_id(on_alpha):
    value = ids.encode("ClerkSubmission", 12)
    assert ids.decode_int(value, "ClerkSubmission") == 12
    assert ids.decode(ids.encode("Draft", "3f2a-uuid"), "Draft") == "3f2a-uuid"
    # Relay's shape: base64 of "<Type>:<local id>", the local id scoped to the tenant's schema
    assert base64.b64decode(value).decode() == f"ClerkSubmission:{on_alpha.schema_name}:12"


def test_malformed_foreign_type_and_other_tenant_ids_get_the_same_not_found(on_alpha, tenant_b):
    # given a valid ID of alpha's submission 12, and the same key minted on beta
    connection.set_tenant(tenant_b)
    betas = ids.encode("ClerkSubmission", 12)
    connection.set_tenant(on_alpha)
    good = ids.decode_int(ids.encode("ClerkSubmission", 12), "ClerkSubmission")
    assert good == 12
    # when anything else is decoded on alpha, then every refusal is the same
    expected = _refusal(lambda: ids.decode("!!!", "ClerkSubmission"))
    assert [code for code, _message in expected] == ["not_found"]
    for value in [
        "",
        "abc",
        base64.b64encode(b"no-colon").decode(),
        ids.encode("Payment", 12),  # another type
        betas,  # another tenant's
        base64.b64encode(b"ClerkSubmission:12").decode(),  # unscoped
        ids.encode("ClerkSubmission", "x"),  # not a number
        ids.encode("ClerkSubmission", "9" * 40),  # too large for a key
    ]:
        assert _refusal(lambda v=value: ids.decode_int(v, "ClerkSubmission")) == expected, value


def test_the_refusal_names_the_argument_when_asked(on_alpha):
    with pytest.raises(ids.NotFound) as refused:
        ids.decode("abc", "Payment", field="payment_id")
    assert [e.code for e in refused.value.error_dict["payment_id"]] == ["not_found"]


def test_another_tenants_id_is_not_found_through_the_api(
    client_for, gql, tenant_a, tenant_b, clerk, other_tenant_clerk
):
    # given a submission-shaped ID minted on alpha
    connection.set_tenant(tenant_a)
    alphas = str(ids.encode("ClerkSubmission", 1))
    connection.set_schema_to_public()
    # when beta's clerk changes "it" on beta, then it is not found, like a malformed one
    client = client_for(tenant_b)
    assert client.sign_in(other_tenant_clerk.email).status_code == 302
    change = (
        'mutation($id: ID!) { changeSubmissionStatus(id: $id, status: "in_progress") '
        "{ submission { id } errors { field code } } }"
    )
    for value in (alphas, "abc"):
        payload = gql(client, change, {"id": value})["data"]["changeSubmissionStatus"]
        assert payload == {"submission": None, "errors": [{"field": "id", "code": "not_found"}]}
