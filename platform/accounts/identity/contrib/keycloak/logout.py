"""Ending sessions both ways. Signing out here ends the Keycloak session too (RP-initiated
logout: the browser goes to Keycloak's end-session endpoint with our ID token as hint and comes
back). Keycloak ending a session (signed out elsewhere, by an administrator, expired) posts a
signed logout token to our back-channel endpoint, which ends every portal session it opened."""

from __future__ import annotations

from importlib import import_module
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.identity.contrib.keycloak import oidc, signing_in
from portalwerk.platform.accounts.identity.contrib.keycloak.models import PortalSession


def _forget(session_key: str) -> None:
    schema_name = connection.schema_name  # the tenant's, before switching to public
    with schema_context("public"):
        PortalSession.objects.filter(schema_name=schema_name, session_key=session_key).delete()


def sign_out_url(request, *, then: str) -> str | None:
    """Keycloak's end-session URL for this session, read before the portal session ends."""
    id_token = request.session.get(signing_in.ID_TOKEN)
    if request.session.session_key:
        _forget(request.session.session_key)
    if not id_token:
        return None
    try:
        endpoint = signing_in._well_known()["end_session_endpoint"]
    except Exception:  # Keycloak unreachable: the portal session still ends
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": then,
            "client_id": settings.KEYCLOAK_CLIENT_ID,
        }
    )
    return f"{endpoint}?{query}"


def end_sessions(logout_token: str) -> int:
    """Validate a back-channel logout token and end the portal sessions it names; how many."""
    claims = oidc.logout_token_claims(logout_token)
    engine = import_module(settings.SESSION_ENGINE)
    with schema_context("public"):
        rows = PortalSession.objects.all()
        rows = (
            rows.filter(sid=claims["sid"])
            if claims.get("sid")
            else rows.filter(subject=claims["sub"])
        )
        found = list(rows)
    for row in found:
        with schema_context(row.schema_name):
            engine.SessionStore(session_key=row.session_key).delete()
    with schema_context("public"):
        PortalSession.objects.filter(pk__in=[row.pk for row in found]).delete()
    return len(found)
