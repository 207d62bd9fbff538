"""The identity providers' registry (one instance of the one plugin registry). Plugins are
enabled, and asked in turn, in the order `PORTALWERK_IDENTITY_PLUGINS` lists them."""

from portalwerk.platform.accounts.identity.base import IdentityProvider
from portalwerk.platform.plugins import Registry

identity_providers: Registry[IdentityProvider] = Registry("identity", base=IdentityProvider)
