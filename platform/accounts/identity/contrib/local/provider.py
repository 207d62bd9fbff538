"""Local accounts: email and an argon2-hashed password in the current schema's user table."""

from __future__ import annotations

from portalwerk.platform.accounts.identity.base import (
    Identity,
    IdentityProvider,
    PasswordCredentials,
)
from portalwerk.platform.accounts.identity.registry import identity_providers
from portalwerk.platform.accounts.models import User


@identity_providers.register("local")
class LocalProvider(IdentityProvider):
    label = "Local accounts"
    accepts_passwords = True

    def authenticate(self, credentials: PasswordCredentials) -> Identity | None:
        user = User.objects.filter(
            email__iexact=credentials.email.strip(), identity_provider="local"
        ).first()
        if user is None:
            # Hash anyway so that response time does not reveal which addresses have accounts.
            User().set_password(credentials.password)
            return None
        if not user.is_active or not user.check_password(credentials.password):
            return None
        return Identity(provider=self.name, user_id=user.pk, email=user.email)
