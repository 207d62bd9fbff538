"""Keycloak as an identity provider: it keeps the credentials, so it does not check passwords
here; people are sent to it (`sign_in_link`) and come back through the callback."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.accounts.identity.base import (
    Identity,
    IdentityProvider,
    Invitation,
    PasswordCredentials,
)
from portalwerk.platform.accounts.identity.contrib.keycloak import (
    logout,
    members,
    oidc,
    state_accounts,
)
from portalwerk.platform.accounts.identity.registry import identity_providers

URLS = "portalwerk.platform.accounts.identity.contrib.keycloak.urls"


@identity_providers.register("keycloak")
class KeycloakProvider(IdentityProvider):
    label = "Keycloak"
    sign_in_label = _("Sign in with single sign-on")
    tenant_urls = ("accounts/keycloak/", URLS)
    public_urls = ("accounts/keycloak/", URLS)

    def check_config(self) -> list[str]:
        missing = oidc.missing_settings()
        if missing:
            return [f"set {', '.join(missing)} (see README, 'Signing in with Keycloak')."]
        return state_accounts.config_problems()

    def authenticate(self, credentials: PasswordCredentials) -> Identity | None:
        return None

    def invite(self, invitation: Invitation) -> str | None:
        return members.invite(invitation, sign_in_url=members.sign_in_url())

    def sign_in_link(
        self, request, next_url: str, *, level: str | None = None, kind: str | None = None
    ) -> str | None:
        if not oidc.configured():
            return None
        query = {"next": next_url, "level": level, "kind": kind}
        return f"{reverse('keycloak:sign-in')}?{urlencode({k: v for k, v in query.items() if v})}"

    def sign_out_url(self, request, *, then: str) -> str | None:
        return logout.sign_out_url(request, then=then)
