"""An identity provider that invites staff itself, as Keycloak will: it keeps the invitations it
was given and answers None, so Portalwerk sends no mail of its own."""

from portalwerk.platform.accounts.identity.base import IdentityProvider
from portalwerk.platform.accounts.identity.registry import identity_providers

INVITED = []


@identity_providers.register("selfmailing")
class SelfMailingProvider(IdentityProvider):
    label = "Invites staff itself"

    def invite(self, invitation):
        INVITED.append(invitation)
        return None

    def authenticate(self, credentials):
        return None
