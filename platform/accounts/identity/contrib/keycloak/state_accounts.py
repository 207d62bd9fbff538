"""Citizens and businesses signing in with a state account (BundID, Servicekonto.NRW, ELSTER),
which Keycloak brokers as an identity provider (SAML 2.0).

Which identity providers are state accounts, and which kind of account each signs in, is
`KEYCLOAK_STATE_ACCOUNTS` (`alias:person`, `alias:business`); the level of assurance is the ID
token's claim `KEYCLOAK_LEVEL_CLAIM`, whose values `KEYCLOAK_LEVEL_VALUES` maps onto our levels.
The identity provider of a sign-in is Keycloak's session note `identity_provider` (claim of the
same name), so it is this session's and never an earlier one's.

A level counts only when the person authenticated at Keycloak during this very sign-in (not an
SSO session reused from before, whose imported attributes another sign-in may have replaced
since), and only when its value is one we know: anything else is "none", never more.

Who comes through a state account is a citizen of the tenant whose host they sign in on: no
organization membership, no role from Keycloak; the user row is made or updated from the claims.
On the base host (operators) a state account opens nothing."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portalwerk.platform.accounts.identity.assurance import (
    ATTRIBUTES,
    AccountKind,
    Level,
    SignedInWith,
)
from portalwerk.platform.accounts.identity.contrib.keycloak.errors import KeycloakErrorCode as Code
from portalwerk.platform.accounts.models import Role, User

#: our users who sign in through a state account (so the staff sync leaves them alone)
PROVIDER = "keycloak_state_account"
IDP_CLAIM = "identity_provider"
#: our attribute names (assurance.ATTRIBUTES) from the ID-token claims that carry them
ATTRIBUTE_CLAIMS = {
    "first_name": "given_name",
    "last_name": "family_name",
    "birth_date": "birthdate",
    "street": "street",
    "house_number": "house_number",
    "postcode": "postcode",
    "city": "city",
}
ORGANISATION_CLAIMS = {"name": "organisation_name", "id": "organisation_id"}
#: User columns filled from the attributes, with their lengths
ADDRESS = {"street": 100, "house_number": 20, "postcode": 5, "city": 100}


def accounts() -> dict[str, str]:
    """The state accounts' identity-provider aliases and the kind of account each signs in."""
    found = {}
    for entry in settings.KEYCLOAK_STATE_ACCOUNTS:
        alias, _sep, kind = entry.partition(":")
        kind = kind or AccountKind.PERSON.value
        if not alias or kind not in AccountKind.values:
            raise ImproperlyConfigured(
                f"KEYCLOAK_STATE_ACCOUNTS: {entry!r} is not `alias:person` or `alias:business`"
            )
        found[alias] = kind
    return found


def level_values() -> dict[str, str]:
    found = {}
    for entry in settings.KEYCLOAK_LEVEL_VALUES:
        value, _sep, level = entry.rpartition("=")
        if not value or level not in Level.values:
            raise ImproperlyConfigured(
                f"KEYCLOAK_LEVEL_VALUES: {entry!r} is not `value=level` with a level of "
                f"{', '.join(Level.values)}"
            )
        found[value] = level
    return found


def config_problems() -> list[str]:
    problems = []
    for check in (accounts, level_values):
        try:
            check()
        except ImproperlyConfigured as exc:
            problems.append(str(exc))
    return problems


def _not_here():
    return Code.STATE_ACCOUNT_HERE.error(
        _(
            "Citizens and businesses sign in on their municipality's portal; the operator "
            "console does not accept state accounts."
        )
    )


def _email_taken(email: str):
    return Code.EMAIL_TAKEN.error(
        _(
            "There is already an account with the address %(email)s here. Please sign in "
            "with it, or ask the municipality to help."
        )
        % {"email": email}
    )


def hint(tenant, *, level: str | None, kind: str | None) -> str | None:
    """The state account to send someone to who asks for `level` or `kind` (the sign-in view's
    query), or None for the ordinary sign-in; a refusal for what no sign-in here can give."""
    if level is not None and level not in Level.values:
        raise Code.LEVEL_UNKNOWN.error(
            _("The sign-in asked for a level of assurance we do not know.")
        )
    if kind is not None and kind not in AccountKind.values:
        raise Code.KIND_UNKNOWN.error(_("The sign-in asked for a kind of account we do not know."))
    if level in (None, Level.NONE) and kind is None:
        return None
    if tenant.is_platform:
        raise _not_here()
    wanted = kind or AccountKind.PERSON
    for alias, offered in accounts().items():
        if offered == wanted:
            return alias
    if wanted == AccountKind.BUSINESS:
        raise Code.NO_STATE_ACCOUNT.error(
            _("This portal offers no sign-in with a business account.")
        )
    raise Code.NO_STATE_ACCOUNT.error(_("This portal offers no sign-in with a state account."))


def provider_of(claims: dict) -> str | None:
    """The state account this sign-in came through, or None (staff, directory, local)."""
    alias = claims.get(IDP_CLAIM)
    return alias if isinstance(alias, str) and alias in accounts() else None


def _text(claims: dict, name: str) -> str:
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def level_of(claims: dict, *, fresh: bool) -> str:
    raw = claims.get(settings.KEYCLOAK_LEVEL_CLAIM)
    if not fresh or not isinstance(raw, str):  # a list of several values proves nothing either
        return Level.NONE.value
    return level_values().get(raw.strip(), Level.NONE.value)


def signed_in_with(claims: dict, *, fresh: bool) -> SignedInWith:
    """What this sign-in through a state account proves. Not `fresh` (an SSO session reused):
    neither a level nor verified attributes, since another sign-in may have replaced them."""
    alias = provider_of(claims)
    kind = accounts()[alias]
    attributes = {ours: _text(claims, claim) for ours, claim in ATTRIBUTE_CLAIMS.items()}
    attributes = {key: value for key, value in attributes.items() if value and key in ATTRIBUTES}
    organisation = {}
    if kind == AccountKind.BUSINESS and fresh:
        organisation = {ours: _text(claims, claim) for ours, claim in ORGANISATION_CLAIMS.items()}
        representative = " ".join(
            part for part in (attributes.get("first_name"), attributes.get("last_name")) if part
        )
        organisation["representative"] = representative or _text(claims, "name")
    return SignedInWith(
        provider=alias,
        level=level_of(claims, fresh=fresh),
        kind=kind,
        attributes=attributes if fresh else {},
        organisation=organisation,
    )


def admit(tenant, claims: dict) -> User:
    """The citizen of the current schema these (validated) claims of a state account make."""
    if tenant.is_platform:
        raise _not_here()
    subject, email = claims["sub"], _text(claims, "email").lower()
    if not email:
        raise Code.TOKEN_INVALID.error(_("Your state account did not tell us an email address."))
    with transaction.atomic():
        users = User.objects.select_for_update()
        user = users.filter(identity_provider=PROVIDER, external_id=subject).first()
        if user is None:
            if User.objects.filter(email__iexact=email).exists():
                raise _email_taken(email)
            user = User(identity_provider=PROVIDER, external_id=subject, role=Role.CITIZEN)
            user.set_unusable_password()
        elif not user.is_active:
            raise Code.ACCOUNT_DISABLED.error(
                _("Your account here is deactivated. Please contact the municipality.")
            )
        elif user.email != email and users.filter(email__iexact=email).exclude(pk=user.pk).exists():
            raise _email_taken(email)
        user.email = email
        name = " ".join(
            part for part in (_text(claims, "given_name"), _text(claims, "family_name")) if part
        )
        user.full_name = (name or _text(claims, "name") or user.full_name)[:200]
        if claims.get("email_verified"):
            user.email_verified_at = user.email_verified_at or timezone.now()
        if claims.get("locale") in {"de", "en"}:
            user.language = claims["locale"]
        address = {column: _text(claims, column) for column in ADDRESS}
        if all(address.values()) and all(len(address[c]) <= n for c, n in ADDRESS.items()):
            for column, value in address.items():
                setattr(user, column, value)
        user.save()
    return user
