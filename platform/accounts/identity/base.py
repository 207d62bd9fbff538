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


class IdentityProvider(Plugin, ABC):
    #: a provider that checks passwords itself (local) rather than redirecting (OIDC)
    accepts_passwords: bool = False

    def __init__(self, config: dict | None = None) -> None:
        self.config = config or {}

    @abstractmethod
    def authenticate(self, credentials: PasswordCredentials) -> Identity | None:
        """The identity these credentials prove, or None."""
