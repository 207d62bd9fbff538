"""The authorization matrix over the sign-in paths: a forged state, a replayed code, an expired
token, a token for another audience (a token of another tenant: test_keycloak_sign_in.py). Each
is refused with a page saying so, in German and English, and creates or signs in nobody."""

from __future__ import annotations

import time
import types

import jwcrypto.jwt
import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import User
from tests.platform.accounts.keycloak.conftest import KeycloakBrowser, local_path

pytestmark = pytest.mark.integration


def nobody_made(tenant, username) -> bool:
    with schema_context(tenant.schema_name):
        return not User.objects.filter(email=f"{username}@kc.example").exists()


def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def keycloak_answer(client, username) -> str:
    start = client.get("/accounts/keycloak/sign-in/", {"next": "/backoffice/"})
    return local_path(KeycloakBrowser().sign_in(start["Location"], username))


@pytest.mark.parametrize(
    ("language", "words"),
    [("de", "Wir konnten Sie nicht anmelden"), ("en", "We could not sign you in")],
)
def test_a_forged_state_is_refused(tenant_a, client_for, language, words):
    client = client_for(tenant_a)
    answer = client.get(
        "/accounts/keycloak/callback/?state=forged&code=made-up", HTTP_ACCEPT_LANGUAGE=language
    )
    assert answer.status_code == 400
    assert words in answer.content.decode()
    assert client.get("/backoffice/").status_code == 302


def test_a_state_from_another_browser_is_refused(realm, username, tenant_a, client_for):
    realm.add_user(username, organizations=("alpha",), roles=("alpha:processor",))
    callback = keycloak_answer(client_for(tenant_a), username)  # started in one session

    stranger = english(client_for(tenant_a))
    answer = stranger.get(callback)

    assert answer.status_code == 400
    assert "was not started here" in answer.content.decode()
    assert nobody_made(tenant_a, username)


def test_a_replayed_code_is_refused(realm, username, tenant_a, client_for):
    realm.add_user(username, organizations=("alpha",), roles=("alpha:processor",))
    client = english(client_for(tenant_a))
    callback = keycloak_answer(client, username)
    assert client.get(callback).status_code == 302
    client.post("/accounts/sign-out/")

    replayed = client.get(callback)  # the same answer again: its state is used up
    # the used code under a fresh state of this session: Keycloak refuses it
    fresh = client.get("/accounts/keycloak/sign-in/")["Location"]
    state = fresh.split("state=")[1].split("&")[0]
    code = callback.split("code=")[1].split("&")[0]
    exchanged = client.get(f"/accounts/keycloak/callback/?state={state}&code={code}")

    assert replayed.status_code == 400 and exchanged.status_code == 400
    assert "did not accept this sign-in" in exchanged.content.decode()
    assert client.get("/backoffice/").status_code == 302


def test_an_expired_token_is_refused(realm, username, tenant_a, client_for, monkeypatch):
    realm.add_user(username, organizations=("alpha",), roles=("alpha:processor",))
    client = english(client_for(tenant_a))
    callback = keycloak_answer(client, username)
    # the token reaches us an hour late (Keycloak's clock an hour behind ours, say)
    late = types.SimpleNamespace(time=lambda: time.time() + 3600)
    monkeypatch.setattr(jwcrypto.jwt, "time", late)

    answer = client.get(callback)

    assert answer.status_code == 400
    assert "has expired" in answer.content.decode()
    assert nobody_made(tenant_a, username)
    assert client.get("/backoffice/").status_code == 302


@pytest.fixture
def another_audience(realm):
    """The portal's client puts a second audience into its ID tokens while this runs."""
    realm.admin.add_mapper_to_client(
        realm.client_uuid,
        {
            "name": "another audience",
            "protocol": "openid-connect",
            "protocolMapper": "oidc-audience-mapper",
            "config": {
                "included.custom.audience": "another-application",
                "id.token.claim": "true",
                "access.token.claim": "true",
            },
        },
    )
    yield
    for mapper in realm.admin.get_mappers_from_client(realm.client_uuid):
        if mapper["name"] == "another audience":
            realm.admin.remove_client_mapper(realm.client_uuid, mapper["id"])


def test_a_token_for_another_audience_is_refused(
    realm, username, tenant_a, client_for, another_audience
):
    realm.add_user(username, organizations=("alpha",), roles=("alpha:processor",))
    client = english(client_for(tenant_a))

    answer = client.get(keycloak_answer(client, username))

    assert answer.status_code == 400
    assert "meant for another application" in answer.content.decode()
    assert nobody_made(tenant_a, username)
