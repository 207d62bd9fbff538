"""Signing out ends the Keycloak session too (RP-initiated logout); the back-channel logout
endpoint refuses a logout token the realm did not sign."""

from __future__ import annotations

import time
import uuid

import pytest
from django_tenants.utils import schema_context
from jwcrypto import jwk, jwt

from portalwerk.platform.accounts.identity.contrib.keycloak import oidc
from portalwerk.platform.accounts.identity.contrib.keycloak.models import PortalSession
from tests.platform.accounts.keycloak.conftest import KeycloakBrowser, sign_in

pytestmark = pytest.mark.integration


def test_signing_out_ends_the_portal_and_the_keycloak_session(
    realm, username, tenant_a, client_for
):
    realm.add_user(username, organizations=("alpha",), roles=("alpha:processor",))
    browser, client = KeycloakBrowser(), client_for(tenant_a)
    sign_in(client, username, browser=browser)
    # while the Keycloak session lasts, a new sign-in needs no password (single sign-on)
    silent = browser.get(client.get("/accounts/keycloak/sign-in/")["Location"])
    assert silent.status_code == 302

    out = client.post("/accounts/sign-out/")

    assert out["Location"].startswith(f"{oidc.issuer()}/protocol/openid-connect/logout?")
    back = browser.get(out["Location"])
    assert back.status_code == 302 and back.headers["Location"] == "http://alpha.localhost/"
    assert client.get("/backoffice/").status_code == 302
    asked_again = browser.get(client.get("/accounts/keycloak/sign-in/")["Location"])
    assert asked_again.status_code == 200 and 'id="kc-form-login"' in asked_again.text


def test_a_local_account_signs_out_without_going_to_keycloak(clerk, tenant_a, client_for):
    client = client_for(tenant_a)
    client.sign_in(clerk.email)
    out = client.post("/accounts/sign-out/")
    assert out["Location"] == "/"


def _forged_logout_token(subject: str, sid: str) -> str:
    key = jwk.JWK.generate(kty="RSA", size=2048, kid="forged")
    token = jwt.JWT(
        header={"alg": "RS256", "kid": "forged", "typ": "logout+jwt"},
        claims={
            "iss": oidc.issuer(),
            "aud": "portalwerk-portal",
            "iat": int(time.time()),
            "jti": uuid.uuid4().hex,
            "sub": subject,
            "sid": sid,
            "events": {oidc.BACK_CHANNEL_EVENT: {}},
        },
    )
    token.make_signed_token(key)
    return token.serialize()


def test_a_logout_token_not_signed_by_the_realm_ends_nothing(realm, username, tenant_a, client_for):
    keycloak_id = realm.add_user(username, organizations=("alpha",), roles=("alpha:processor",))
    client = client_for(tenant_a)
    sign_in(client, username)
    with schema_context("public"):
        sid = PortalSession.objects.get(subject=keycloak_id).sid

    answer = client_for("localhost").post(
        "/accounts/keycloak/back-channel-logout/",
        {"logout_token": _forged_logout_token(keycloak_id, sid)},
    )

    assert answer.status_code == 400
    assert client.get("/backoffice/").status_code == 200
