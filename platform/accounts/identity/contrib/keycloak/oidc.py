"""python-keycloak's clients, built from the KEYCLOAK_* settings, and the validation of the tokens
Keycloak issues: signature with the realm's published keys, issuer, audience, expiry, and the
claims each kind of token must carry (an ID token's nonce; a logout token's event)."""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.utils.translation import gettext as _
from jwcrypto import jwk
from jwcrypto.common import JWException
from jwcrypto.jwt import JWTExpired
from keycloak import KeycloakAdmin, KeycloakOpenID
from keycloak.exceptions import KeycloakError

from portalwerk.platform.accounts.identity.contrib.keycloak.errors import KeycloakErrorCode as Code

BACK_CHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"
#: the realm's keys are cached this long; a token signed with a key we do not know yet (a key
#: rotation) makes us fetch them again at once
KEYS_SECONDS = 300

_keys_lock = threading.Lock()
_keys: dict[str, tuple[float, jwk.JWKSet]] = {}


def configured() -> bool:
    return all(
        getattr(settings, name, "")
        for name in (
            "KEYCLOAK_SERVER_URL",
            "KEYCLOAK_REALM",
            "KEYCLOAK_CLIENT_ID",
            "KEYCLOAK_CLIENT_SECRET",
        )
    )


def missing_settings() -> list[str]:
    return [
        name
        for name in (
            "KEYCLOAK_SERVER_URL",
            "KEYCLOAK_REALM",
            "KEYCLOAK_CLIENT_ID",
            "KEYCLOAK_CLIENT_SECRET",
        )
        if not getattr(settings, name, "")
    ]


def issuer() -> str:
    return f"{settings.KEYCLOAK_SERVER_URL.rstrip('/')}/realms/{settings.KEYCLOAK_REALM}"


def openid() -> KeycloakOpenID:
    return KeycloakOpenID(
        server_url=settings.KEYCLOAK_SERVER_URL,
        realm_name=settings.KEYCLOAK_REALM,
        client_id=settings.KEYCLOAK_CLIENT_ID,
        client_secret_key=settings.KEYCLOAK_CLIENT_SECRET,
        timeout=settings.KEYCLOAK_TIMEOUT_SECONDS,
    )


def admin() -> KeycloakAdmin:
    """The admin API as the portal client's own service account (client credentials), for the
    per-user work Terraform does not do: invitations, memberships, who is still listed."""
    return KeycloakAdmin(
        server_url=settings.KEYCLOAK_SERVER_URL,
        realm_name=settings.KEYCLOAK_REALM,
        client_id=settings.KEYCLOAK_CLIENT_ID,
        client_secret_key=settings.KEYCLOAK_CLIENT_SECRET,
        timeout=settings.KEYCLOAK_TIMEOUT_SECONDS,
    )


def unavailable() -> Exception:
    return Code.UNAVAILABLE.error(
        _("The sign-in service cannot be reached just now. Please try again in a few minutes.")
    )


def _realm_keys(*, fresh: bool = False) -> jwk.JWKSet:
    key = issuer()
    now = time.monotonic()
    cached = _keys.get(key)
    if cached and cached[0] > now and not fresh:
        return cached[1]
    try:
        certs = openid().certs()
    except (KeycloakError, OSError) as exc:
        raise unavailable() from exc
    keys = jwk.JWKSet()
    for cert in certs.get("keys", []):
        if cert.get("use", "sig") == "sig":
            keys.add(jwk.JWK(**cert))
    with _keys_lock:
        _keys[key] = (now + KEYS_SECONDS, keys)
    return keys


def _decode(token: str, check_claims: dict) -> dict:
    leeway = settings.KEYCLOAK_CLOCK_SKEW_SECONDS
    client = openid()
    for fresh in (False, True):
        try:
            return client.decode_token(
                token, key=_realm_keys(fresh=fresh), check_claims=check_claims, leeway=leeway
            )
        except JWTExpired:
            raise Code.TOKEN_EXPIRED.error(
                _("Your sign-in has expired before it reached us. Please sign in again.")
            ) from None
        except (JWException, ValueError, TypeError, KeyError):
            if fresh:
                break
    raise Code.TOKEN_INVALID.error(
        _("The sign-in could not be checked, so we did not accept it. Please sign in again.")
    )


def _check_audience(claims: dict) -> None:
    """Only tokens issued to this portal's client: `aud` names it and nobody else, and the party
    it was authorized for (`azp`), when given, is this client too (OpenID Connect Core 3.1.3.7)."""
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    client_id = settings.KEYCLOAK_CLIENT_ID
    if audiences != [client_id] or claims.get("azp", client_id) != client_id:
        raise Code.WRONG_AUDIENCE.error(
            _("This sign-in was meant for another application, so we did not accept it.")
        )


def id_token_claims(token: str, *, nonce: str) -> dict:
    claims = _decode(token, {"iss": issuer(), "exp": None, "sub": None, "nonce": nonce})
    _check_audience(claims)
    if claims.get("typ", "ID") != "ID":
        raise Code.TOKEN_INVALID.error(
            _("The sign-in could not be checked, so we did not accept it. Please sign in again.")
        )
    return claims


def logout_token_claims(token: str) -> dict:
    """A back-channel logout token (OpenID Connect Back-Channel Logout 1.0, section 2.6)."""
    claims = _decode(token, {"iss": issuer(), "iat": None})
    _check_audience(claims)
    events = claims.get("events")
    if (
        not isinstance(events, dict)
        or BACK_CHANNEL_EVENT not in events
        or "nonce" in claims
        or not (claims.get("sid") or claims.get("sub"))
    ):
        raise Code.TOKEN_INVALID.error("not a logout token")
    return claims
