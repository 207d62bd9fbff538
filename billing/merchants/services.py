"""Connecting a tenant's merchant account, and finding the tenant of an account (webhooks)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portalwerk.billing.merchants.errors import MerchantErrorCode as Code
from portalwerk.billing.merchants.models import MerchantAccount
from portalwerk.billing.providers.base import ProviderError, ProviderUnavailable
from portalwerk.billing.providers.registry import providers
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.error_codes import code_error
from portalwerk.tenants.models import Tenant


def _error(code: str, message: str, field: str = "__all__") -> ValidationError:
    return code_error(code, message, field)


@transaction.atomic
def connect_account(
    *,
    actor: Actor,
    tenant: Tenant,
    provider: str,
    account_id: str,
    application_fee_cents: int | None = None,
    application_fee_bps: int | None = None,
) -> MerchantAccount:
    """Connect (or replace) the tenant's account with a provider. Operators do this for any
    tenant and set the platform fee; a tenant's own admin connects only their own tenant's
    account (on its host) and keeps the fee the operator set. Recorded in the public audit log."""
    operator = _require_account_manager(actor, tenant)
    previous = (
        MerchantAccount.objects.filter(tenant=tenant, provider=provider)
        .order_by("-is_active", "-connected_at")
        .first()
    )
    if not operator:  # only operators set the platform's fee
        application_fee_cents = application_fee_bps = None
    if application_fee_cents is None:
        application_fee_cents = previous.application_fee_cents if previous else 0
    if application_fee_bps is None:
        application_fee_bps = previous.application_fee_bps if previous else 0
    check_fee(application_fee_cents=application_fee_cents, application_fee_bps=application_fee_bps)
    check_account(tenant=tenant, provider=provider, account_id=account_id)
    MerchantAccount.objects.filter(tenant=tenant, provider=provider, is_active=True).exclude(
        account_id=account_id
    ).update(is_active=False)
    account, _created = MerchantAccount.objects.update_or_create(
        provider=provider,
        account_id=account_id,
        defaults={
            "tenant": tenant,
            "application_fee_cents": application_fee_cents,
            "application_fee_bps": application_fee_bps,
            "is_active": True,
        },
    )
    record(
        actor, Action.TENANT_MERCHANT_CONNECTED, tenant, provider=provider, account_id=account_id
    )
    return account


def _require_account_manager(actor: Actor, tenant: Tenant) -> bool:
    """Operators manage any tenant's accounts, a tenant admin only their own tenant's (on its
    host). Returns whether the actor is an operator (only they set the platform fee)."""
    from django.db import connection

    operator = capabilities.can_operate_platform(actor)
    own_admin = (
        capabilities.can_manage_merchant_account(actor)
        and connection.schema_name == tenant.schema_name
    )
    if not (operator or own_admin):
        raise _error(Code.PERMISSION_DENIED, _("You may not do this."))
    return operator


def check_fee(*, application_fee_cents: int, application_fee_bps: int) -> None:
    """The platform fee per payment: at most 1,000.00 € and 20 % of the amount."""
    if not (0 <= application_fee_bps <= 2000 and 0 <= application_fee_cents <= 100_000):
        raise _error(Code.INVALID_AMOUNT, _("The platform fee is out of range."), "application_fee")


def check_account(*, tenant: Tenant, provider: str, account_id: str) -> None:
    """Whether `account_id` can be `tenant`'s account with `provider`: the provider is
    enabled, the id is of its kind, no other tenant has it, and the provider itself says the
    account can take this platform's payments. Raises ValidationError otherwise (the operator
    console's form asks this before it saves through `connect_account`)."""
    try:
        plugin = providers.get(provider)
    except ProviderUnavailable:
        raise _error(
            Code.PROVIDER_UNAVAILABLE, _("This payment provider is not available.")
        ) from None
    problem = plugin.account_id_problem(account_id)
    if problem:
        raise _error(Code.INVALID_ACCOUNT, problem, "account_id")
    taken = MerchantAccount.objects.filter(provider=provider, account_id=account_id)
    if taken.exclude(tenant=tenant).exists():
        raise _error(
            Code.INVALID_ACCOUNT, _("This account belongs to another office."), "account_id"
        )
    _check_with_provider(plugin, account_id)


def _check_with_provider(plugin, account_id: str) -> None:
    """An account is saved only once the provider itself has said it can take payments: a
    wrong or unfinished account would otherwise surface only when citizens try to pay."""
    label = getattr(plugin, "label", plugin.name)
    if plugin.check_config():
        raise _error(
            Code.PROVIDER_UNAVAILABLE,
            _(
                "Payments through %(provider)s are switched off on this installation (it is not "
                "set up). Ask the platform operator."
            )
            % {"provider": label},
        )
    try:
        problem = plugin.account_problem(account_id)
    except ProviderError:
        raise _error(
            Code.PROVIDER_UNAVAILABLE,
            _("%(provider)s could not be asked about this account just now. Please try again.")
            % {"provider": label},
        ) from None
    if problem:
        raise _error(Code.INVALID_ACCOUNT, problem, "account_id")


@transaction.atomic
def disconnect_account(*, actor: Actor, tenant: Tenant, provider: str) -> MerchantAccount | None:
    """Stop taking payments through the tenant's account with `provider` (operators for any
    tenant, a tenant admin on their own tenant's host). The row stays, inactive: late events
    about payments made on it still find their tenant. Payments not finished on it can be
    started again with whatever provider the tenant uses then. Returns the disconnected
    account, or None when none was connected."""
    _require_account_manager(actor, tenant)
    account = (
        MerchantAccount.objects.select_for_update()
        .filter(tenant=tenant, provider=provider, is_active=True)
        .first()
    )
    if account is None:
        return None
    account.is_active = False
    account.save(update_fields=["is_active"])
    record(
        actor,
        Action.TENANT_MERCHANT_DISCONNECTED,
        tenant,
        provider=provider,
        account_id=account.account_id,
    )
    return account


def account_for_tenant(tenant: Tenant, provider: str) -> MerchantAccount | None:
    return MerchantAccount.objects.filter(tenant=tenant, provider=provider, is_active=True).first()


def tenant_for_account(provider: str, account_id: str) -> Tenant | None:
    """The tenant that owns the account, or None. Deactivated accounts still resolve: events
    about payments made on them (refunds, late SEPA results) keep arriving for days."""
    if not account_id:
        return None
    row = (
        MerchantAccount.objects.select_related("tenant")
        .filter(provider=provider, account_id=account_id)
        .first()
    )
    return row.tenant if row else None
