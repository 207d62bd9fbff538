"""System checks (`manage.py check`, run on start): the default payment provider. Each enabled
provider's own configuration (Stripe's keys) is checked by the plugin framework's check."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register


@register("payments")
def check_payment_providers(app_configs=None, **kwargs) -> list:
    from portalwerk.billing.providers.registry import providers

    messages = []
    default = settings.PORTALWERK_PAYMENT_DEFAULT_PROVIDER
    if default and not providers.is_enabled(default):
        messages.append(
            Error(
                f"PORTALWERK_PAYMENT_DEFAULT_PROVIDER names {default!r}, which is not enabled.",
                hint="Add it to PORTALWERK_PAYMENT_PLUGINS.",
                id="payments.E001",
            )
        )
    if default == "demo" and not (settings.DEBUG or settings.TESTING):
        messages.append(
            Warning(
                "The demo payment provider is the default outside development: citizens would "
                "'pay' without any money moving.",
                hint="Unset PORTALWERK_PAYMENT_DEFAULT_PROVIDER in production.",
                id="payments.W001",
            )
        )
    return messages
