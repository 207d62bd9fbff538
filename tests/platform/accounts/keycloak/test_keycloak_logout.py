"""Signing out ends the Keycloak session too (RP-initiated logout), and Keycloak's back-channel
logout, a signed token posted to us from Keycloak's server, ends the portal session."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.db import connections
from django_tenants.utils import schema_context
from jwcrypto import jwk, jwt

from portalwerk.platform.accounts.identity.contrib.keycloak import oidc
from portalwerk.platform.accounts.identity.contrib.keycloak.models import PortalSession
from portalwerk.platform.accounts.models import User
from portalwerk.tenants.models import Tenant
from tests.conftest import TenantClient
from tests.platform.accounts.keycloak.conftest import KeycloakBrowser, sign_in

pytestmark = pytest.mark.integration


def test_signing_out_ends_the_portal_and_the_keycloak_session(
    realm, username, tenant_a, client_for
):
    keycloak_id = realm.add_user(username, organizations=("alpha",), roles=("alpha:processor",))
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
    with schema_context("public"):  # nothing left for a back-channel logout to find
        assert not PortalSession.objects.filter(subject=keycloak_id).exists()
    asked_again = browser.get(client.get("/accounts/keycloak/sign-in/")["Location"])
    assert asked_again.status_code == 200 and 'id="kc-form-login"' in asked_again.text


def test_a_local_account_signs_out_without_going_to_keycloak(clerk, tenant_a, client_for):
    client = client_for(tenant_a)
    client.sign_in(clerk.email)
    out = client.post("/accounts/sign-out/")
    assert out["Location"] == "/"


class _Quiet(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture
def back_channel(realm, live_db):
    """The portal on a live server, and the realm's client posting logout tokens to it."""
    httpd = ThreadedWSGIServer(("127.0.0.1", 0), _Quiet, allow_reuse_address=False)
    # Keycloak keeps its connections open: their request threads must not be waited for.
    httpd.daemon_threads = True
    httpd.set_app(WSGIHandler())
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    client = realm.admin.get_client(realm.client_uuid)
    before = dict(client["attributes"])
    client["attributes"]["backchannel.logout.url"] = (
        f"http://localhost:{httpd.server_address[1]}/accounts/keycloak/back-channel-logout/"
    )
    realm.admin.update_client(realm.client_uuid, client)
    try:
        yield
    finally:
        client["attributes"] = before
        realm.admin.update_client(realm.client_uuid, client)
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
        connections.close_all()
        _end_other_sessions()


def _end_other_sessions():
    """The server's request threads are not joined; end their database sessions."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def test_keycloaks_back_channel_logout_ends_the_portal_session(realm, back_channel):
    # committed data (live_db): the live server's threads must see the session
    tenant_a = Tenant.objects.get(slug="alpha")
    username = f"kc-{uuid.uuid4().hex[:10]}"
    keycloak_id = realm.add_user(username, organizations=("alpha",), roles=("alpha:processor",))
    client, browser = TenantClient("alpha.localhost"), KeycloakBrowser()
    try:
        sign_in(client, username, browser=browser)
        assert client.get("/backoffice/").status_code == 200

        # the person signs out at Keycloak itself (its account console, another application of
        # the realm): Keycloak posts a logout token to the portal
        id_token = client.session["keycloak_id_token"]
        browser.get(f"{oidc.issuer()}/protocol/openid-connect/logout?id_token_hint={id_token}")

        deadline = time.monotonic() + 10
        while client.get("/backoffice/").status_code == 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert client.get("/backoffice/").status_code == 302
        with schema_context("public"):
            assert not PortalSession.objects.filter(subject=keycloak_id).exists()
    finally:
        with schema_context("public"):
            PortalSession.objects.filter(subject=keycloak_id).delete()
        with schema_context(tenant_a.schema_name):
            User.objects.filter(external_id=keycloak_id).delete()


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
