from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MerchantAccount(models.Model):
    """A tenant's account with a payment provider (Stripe Connect: `acct_…`). The municipality
    is the merchant of record; the platform may take an application fee per payment."""

    tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="merchant_accounts",
        verbose_name=_("tenant"),
    )
    provider = models.CharField(_("provider"), max_length=40)
    account_id = models.CharField(_("account id"), max_length=255)
    application_fee_cents = models.PositiveIntegerField(
        _("platform fee per payment (cents)"), default=0
    )
    application_fee_bps = models.PositiveIntegerField(
        _("platform fee (basis points of the amount)"), default=0
    )
    is_active = models.BooleanField(_("in use"), default=True)
    connected_at = models.DateTimeField(_("connected on"), auto_now_add=True)

    class Meta:
        ordering = ["tenant", "provider"]
        verbose_name = _("merchant account")
        verbose_name_plural = _("merchant accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "account_id"], name="merchant_account_unique"
            ),
            models.UniqueConstraint(
                fields=["tenant", "provider"],
                condition=models.Q(is_active=True),
                name="one_active_merchant_account_per_provider",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.account_id}"

    def application_fee_for(self, amount_cents: int) -> int:
        fee = self.application_fee_cents + (amount_cents * self.application_fee_bps) // 10_000
        return min(fee, amount_cents)
