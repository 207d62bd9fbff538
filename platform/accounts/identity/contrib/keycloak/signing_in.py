"""The authorization-code flow with PKCE, and who may enter which host.

`begin` keeps a fresh state, nonce and PKCE verifier in the portal session (the session of this
host only) and answers Keycloak's authorization URL; `finish` takes the state back (once: a
replayed or forged state finds nothing), exchanges the code with the verifier, validates the ID
token and admits the person:

- on a tenant host only members of the tenant's organization (alias = the tenant's slug) with a
  role of that tenant (client role `<slug>:reader|processor|tenant_admin`), whatever else the
  token says, so a valid token of the same realm does not open another tenant's back office;
- on the base host only holders of `platform:operator`;
- whoever comes through a state account (`state_accounts.py`) as a citizen of the tenant, on
  tenant hosts only.

A sign-in asking for a level of assurance or an account kind goes straight to the state account
(`kc_idp_hint`) and makes it ask again (`prompt=login`), so "sign in with a stronger means" is
one. What the sign-in proves is kept in the session (`assurance.remember`): for staff, provider
"keycloak" and level none.

The user row of the current schema is created or updated from the claims (just in time); a
person Keycloak no longer lists for this tenant is deactivated here. A clerk of the tenant's own
directory who is not a member yet joins the organization first (`directory.py`), and the
sign-in is asked of Keycloak once more for a token that says so."""

from __future__ import annotations

import secrets
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from keycloak.exceptions import KeycloakConnectionError, KeycloakError
from keycloak.pkce_utils import generate_code_challenge, generate_code_verifier

from portalwerk.platform.accounts.identity import assurance
from portalwerk.platform.accounts.identity.contrib.keycloak import directory, oidc, state_accounts
from portalwerk.platform.accounts.identity.contrib.keycloak.errors import KeycloakErrorCode as Code
from portalwerk.platform.accounts.identity.contrib.keycloak.models import PortalSession
from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.accounts.signing_in import SIGN_IN_BACKEND
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import from_user

PROVIDER = "keycloak"
PENDING = "keycloak_pending"
ID_TOKEN = "keycloak_id_token"
#: sign-ins started in other tabs that may still come back, and for how long
MAX_PENDING = 5
PENDING_SECONDS = 600
SCOPE = "openid email profile organization"
OPERATOR_ROLE = "platform:operator"
#: a tenant's client roles, strongest first: who holds several gets the strongest
TENANT_ROLES = (
    ("tenant_admin", Role.TENANT_ADMIN),
    ("processor", Role.CLERK_PROCESSOR),
    ("reader", Role.CLERK_READER),
)
ROLE_SUFFIX = {stored: suffix for suffix, stored in TENANT_ROLES}

_endpoints: dict[str, dict] = {}


def callback_url(request) -> str:
    return request.build_absolute_uri(reverse("keycloak:callback"))


def _well_known() -> dict:
    key = oidc.issuer()
    if key not in _endpoints:
        try:
            _endpoints[key] = oidc.openid().well_known()
        except (KeycloakError, OSError) as exc:
            raise oidc.unavailable() from exc
    return _endpoints[key]


def scope_for(tenant) -> str:
    """On a tenant host the scope names the tenant's organization, so that Keycloak resolves it
    for its login page: the `portalwerk` login theme (theme/) shows its name and colour."""
    return SCOPE if tenant.is_platform else f"openid email profile organization:{tenant.slug}"


def begin(
    request,
    *,
    next_url: str,
    level: str | None = None,
    kind: str | None = None,
    **carried,
) -> str:
    """Keycloak's authorization URL for a new sign-in from this host's session (`carried` is
    kept with it for `finish`); with `level` or `kind` (assurance.Level, assurance.AccountKind),
    through the state account for that kind."""
    state_account = state_accounts.hint(request.tenant, level=level, kind=kind)
    verifier = generate_code_verifier()
    challenge, method = generate_code_challenge(verifier)
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = time.time()
    pending = {
        key: value
        for key, value in request.session.get(PENDING, {}).items()
        if value["at"] > now - PENDING_SECONDS
    }
    kept = sorted(pending.items(), key=lambda item: item[1]["at"])[-(MAX_PENDING - 1) :]
    pending = dict(kept)
    pending[state] = {
        **carried,
        "nonce": nonce,
        "verifier": verifier,
        "next": next_url,
        "at": now,
    }
    request.session[PENDING] = pending
    # python-keycloak's auth_url() does not encode its parameters (the scope has spaces);
    # the endpoint is its well_known(), the PKCE pair is its pkce_utils'.
    params = {
        "client_id": settings.KEYCLOAK_CLIENT_ID,
        "response_type": "code",
        "redirect_uri": callback_url(request),
        # straight to a state account, Keycloak shows no login page of its own to theme
        "scope": SCOPE if state_account else scope_for(request.tenant),
        "state": state,
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": method,
    }
    if state_account:
        params |= {"kc_idp_hint": state_account, "prompt": "login"}
    query = urlencode(params)
    return f"{_well_known()['authorization_endpoint']}?{query}"


def _take_pending(request, state: str) -> dict:
    pending = request.session.get(PENDING, {})
    entry = pending.pop(state, None) if state else None
    request.session[PENDING] = pending
    if entry is None or entry["at"] <= time.time() - PENDING_SECONDS:
        raise Code.STATE_INVALID.error(
            _(
                "This sign-in was not started here, or it was used already or has expired. "
                "Please start the sign-in again."
            )
        )
    return entry


def finish(request, params) -> tuple[User | None, str]:
    """Admit whoever Keycloak's answer (`params`, the callback's query) proves, sign them in on
    this host and answer them with where they wanted to go (or, when a directory clerk just
    joined the organization, nobody yet and Keycloak's URL to ask again)."""
    entry = _take_pending(request, params.get("state", ""))
    if params.get("iss") and params["iss"] != oidc.issuer():
        raise Code.TOKEN_INVALID.error(_("This answer did not come from our sign-in service."))
    if params.get("error") or not params.get("code"):
        raise Code.CODE_REFUSED.error(_("The sign-in was cancelled or refused."))
    try:
        tokens = oidc.openid().token(
            grant_type="authorization_code",
            code=params["code"],
            redirect_uri=callback_url(request),
            code_verifier=entry["verifier"],
        )
    except KeycloakConnectionError as exc:
        raise oidc.unavailable() from exc
    except KeycloakError:
        raise Code.CODE_REFUSED.error(
            _("The sign-in service did not accept this sign-in (it may have been used already).")
        ) from None
    claims = oidc.id_token_claims(tokens.get("id_token", ""), nonce=entry["nonce"])
    if state_accounts.provider_of(claims):
        user = state_accounts.admit(request.tenant, claims)
        signed_in_with = state_accounts.signed_in_with(claims, fresh=_fresh(claims, entry))
    else:
        if not entry.get("joined") and directory.join_organization(request.tenant, claims):
            carried = {
                k: v for k, v in entry.items() if k not in {"nonce", "verifier", "next", "at"}
            }
            return None, begin(request, next_url=entry["next"], **{**carried, "joined": True})
        user = admit(request.tenant, claims)
        signed_in_with = assurance.SignedInWith(provider=PROVIDER)
    login(request, user, backend=SIGN_IN_BACKEND)
    assurance.remember(request.session, signed_in_with)
    request.session[ID_TOKEN] = tokens["id_token"]
    request.session.save()
    schema_name = connection.schema_name  # the tenant's, before switching to public
    with schema_context("public"):
        PortalSession.objects.create(
            sid=claims.get("sid", ""),
            subject=claims["sub"],
            schema_name=schema_name,
            session_key=request.session.session_key,
        )
    return user, entry["next"]


def _fresh(claims: dict, entry: dict) -> bool:
    """Whether the person authenticated at Keycloak during this sign-in, rather than an SSO
    session of earlier being reused (Keycloak's `acr` "0"), so the attributes the broker
    imported are this sign-in's."""
    auth_time = claims.get("auth_time")
    if not isinstance(auth_time, int | float) or claims.get("acr") == "0":
        return False
    return auth_time >= entry["at"] - settings.KEYCLOAK_CLOCK_SKEW_SECONDS


def _organizations(claims: dict) -> set[str]:
    found = claims.get("organization") or []
    return set(found) if isinstance(found, list | dict) else {str(found)}


def role_for(tenant, claims: dict) -> str:
    """Our role from the token on this host, or a refusal saying why there is none."""
    roles = set(claims.get("portalwerk_roles") or [])
    if tenant.is_platform:
        if OPERATOR_ROLE in roles:
            return Role.OPERATOR
        raise Code.NO_ROLE.error(_("Your account has no access to the operator console."))
    if tenant.slug not in _organizations(claims):
        raise Code.NOT_A_MEMBER.error(
            _("Your account does not belong to %(tenant)s, so you cannot sign in here.")
            % {"tenant": tenant.name}
        )
    for suffix, stored in TENANT_ROLES:
        if f"{tenant.slug}:{suffix}" in roles:
            return stored
    raise Code.NO_ROLE.error(
        _("Your account has no role in %(tenant)s yet. Please ask your administrator.")
        % {"tenant": tenant.name}
    )


def _deactivate(subject: str) -> None:
    gone = User.objects.filter(identity_provider=PROVIDER, external_id=subject, is_active=True)
    for user in gone:
        user.is_active = False
        user.save(update_fields=["is_active"])
        record(from_user(user), Action.STAFF_DEACTIVATED, user)


def admit(tenant, claims: dict) -> User:
    """The user of the current schema these (validated) claims make, created or updated."""
    subject, email = claims["sub"], (claims.get("email") or "").strip().lower()
    try:
        role = role_for(tenant, claims)
    except ValidationError:
        _deactivate(subject)  # Keycloak no longer lists them for this tenant
        raise
    if not email:
        raise Code.TOKEN_INVALID.error(
            _("Your account at the sign-in service has no email address.")
        )
    with transaction.atomic():
        users = User.objects.select_for_update()
        user = users.filter(identity_provider=PROVIDER, external_id=subject).first()
        if user is None:  # invited here before the first sign-in, not yet linked
            user = users.filter(identity_provider=PROVIDER, external_id="", email=email).first()
        if user is None:
            if User.objects.filter(email__iexact=email).exists():
                raise Code.EMAIL_TAKEN.error(
                    _(
                        "There is already an account with the address %(email)s here that does "
                        "not use single sign-on. Please ask your administrator."
                    )
                    % {"email": email}
                )
            user = User(identity_provider=PROVIDER, email=email, role=role)
            user.set_unusable_password()
        elif not user.is_active:
            raise Code.ACCOUNT_DISABLED.error(
                _("Your account here is deactivated. Please ask your administrator.")
            )
        role_before = user.role if user.pk else None
        user.external_id = subject
        user.email = email
        user.full_name = (claims.get("name") or user.full_name)[:200]
        user.role = role
        if claims.get("email_verified"):
            user.email_verified_at = user.email_verified_at or timezone.now()
        if claims.get("locale") in {"de", "en"}:
            user.language = claims["locale"]
        user.save()
        if role_before is not None and role_before != role:
            record(
                from_user(user),
                Action.STAFF_ROLE_CHANGED,
                user,
                role_before=ROLE_SUFFIX.get(role_before, str(role_before)),
                role=ROLE_SUFFIX.get(role, str(role)),
            )
    return user
