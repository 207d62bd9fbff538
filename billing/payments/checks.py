"""System checks (`manage.py check`, run on start): payment providers that are configured but
not completely, and the demo provider where real money is expected."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register


@register("payments")
def check_payment_providers(app_configs=None, **kwargs) -> list:
    from portalwerk.billing.providers.registry import get_provider, names

    messages = []
    default = settings.PORTALWERK_PAYMENT_DEFAULT_PROVIDER
    if default and default not in names():
        messages.append(
            Error(
                f"PORTALWERK_PAYMENT_DEFAULT_PROVIDER names {default!r}, which is not loaded.",
                hint="Add its module to PORTALWERK_PAYMENT_PROVIDER_MODULES.",
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
    stripe_configured = any(
        (settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET, default == "stripe")
    )
    if stripe_configured and "stripe" in names():
        for problem in get_provider("stripe").check_config():
            messages.append(Error(f"Stripe: {problem}", id="payments.E002"))
    return messages
