"""The payment providers' registry (one instance of the one plugin registry). Plugins are
enabled by `PORTALWERK_PAYMENT_PLUGINS`; the demo provider by `PORTALWERK_DEMO_PLUGINS`."""

from portalwerk.billing.providers.base import PaymentProvider, ProviderUnavailable
from portalwerk.platform.plugins import Registry

providers: Registry[PaymentProvider] = Registry(
    "payment", base=PaymentProvider, unavailable=ProviderUnavailable
)
