"""The interface every identity provider implements. Providers exchange these dataclasses, never
an SDK's objects, so adding Keycloak (or a state service account) touches no caller."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from portalwerk.platform.plugins import Plugin


@dataclass(frozen=True)
class PasswordCredentials:
    email: str
    password: str


@dataclass(frozen=True)
class Identity:
    """Who a provider vouches for; `user_id` is the local user in the current schema."""

    provider: str
    user_id: int
    email: str


@dataclass(frozen=True)
class Invitation:
    """A staff member invited by a tenant admin or an operator; `accept_url` is our own page
    where they choose a password (signed, expiring, single use)."""

    user_id: int
    email: str
    language: str
    accept_url: str


class IdentityProvider(Plugin, ABC):
    #: a provider that checks passwords itself (local) rather than redirecting (OIDC)
    accepts_passwords: bool = False
    #: the words of the link `sign_in_link` answers
    sign_in_label: str = ""

    def __init__(self, config: dict | None = None) -> None:
        self.config = config or {}

    def invite(self, invitation: Invitation) -> str | None:
        """The link the invitation mail carries. Local accounts answer our own `accept_url`.
        A provider that keeps credentials itself (Keycloak: an organization invitation, or a
        required-actions mail) does its own work here and answers its own link, or None when it
        mails the person itself; the staff services then send nothing."""
        return invitation.accept_url

    def sign_in_link(
        self, request, next_url: str, *, level: str | None = None, kind: str | None = None
    ) -> str | None:
        """A link to sign in elsewhere (a redirecting provider), shown on the sign-in page with
        `sign_in_label`; None for providers that take passwords on our own form. `level` and
        `kind` (assurance.Level, assurance.AccountKind) ask for a sign-in at least that strong,
        or with that kind of account, where the provider can offer one; None otherwise."""
        return None

    def sign_out_url(self, request, *, then: str) -> str | None:
        """Where the browser goes after the portal session of `request` ends, to end the
        provider's own session as well and come back to `then`; None: nowhere."""
        return None

    @abstractmethod
    def authenticate(self, credentials: PasswordCredentials) -> Identity | None:
        """The identity these credentials prove, or None."""
