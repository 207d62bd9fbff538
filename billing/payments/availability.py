"""Which provider takes the current tenant's payments now, and what follows when none can: a
payment bound to a provider or account that is no longer usable is started again with the
current one, and a hand-over held for a fee nobody can pay any more is flagged for the clerks.

Usable means: the plugin is enabled here, its configuration is complete, and (for providers
with accounts) the tenant's account with it is connected and active."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from portalwerk.billing.payments.models import HandOver, Payment
from portalwerk.billing.providers.base import PaymentProvider, ProviderUnavailable
from portalwerk.billing.providers.registry import providers


@dataclass(frozen=True)
class CurrentProvider:
    name: str  # "" when this office cannot take payments online
    label: str = ""
    account_id: str = ""
    merchant_pk: int = 0
    demo: bool = False


def _plugin(name: str) -> PaymentProvider | None:
    try:
        plugin = providers.get(name)
    except ProviderUnavailable:
        return None
    return None if plugin.check_config() else plugin


def current_provider() -> CurrentProvider:
    """The provider the current tenant's payments start with: its connected account when that
    provider is usable here, else the installation's default (the offline demo in
    development), else none."""
    from portalwerk.billing.merchants.models import MerchantAccount

    accounts = MerchantAccount.objects.filter(
        tenant__schema_name=connection.schema_name, is_active=True
    ).order_by("connected_at")
    for account in accounts:
        plugin = _plugin(account.provider)
        if plugin is not None:
            return CurrentProvider(
                account.provider,
                str(getattr(plugin, "label", plugin.name)),
                account.account_id,
                account.pk,
            )
    default = settings.PORTALWERK_PAYMENT_DEFAULT_PROVIDER
    plugin = _plugin(default) if default else None
    if plugin is None or plugin.has_accounts:  # an account provider needs a connected account
        return CurrentProvider("")
    return CurrentProvider(default, str(getattr(plugin, "label", plugin.name)), demo=plugin.demo)


def is_current(payment: Payment, current: CurrentProvider | None = None) -> bool:
    """Whether `payment` was started with the provider and account the tenant uses now."""
    current = current or current_provider()
    return bool(current.name) and (payment.provider, payment.account_id) == (
        current.name,
        current.account_id,
    )


def flag_blocked_hand_overs() -> int:
    """In the current tenant's schema: mark held hand-overs whose fee cannot be paid online
    any more (no usable provider), so they show in the clerk inbox instead of waiting for
    ever; clear the mark once a provider is usable again. Returns how many are flagged."""
    waiting = HandOver.objects.filter(held=True, handed_over_at__isnull=True)
    if current_provider().name:
        waiting.exclude(blocked_since=None).update(blocked_since=None)
        return 0
    waiting.filter(blocked_since=None).update(blocked_since=timezone.now())
    return waiting.count()
