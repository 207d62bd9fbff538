"""The demo provider's own "remote" side, one row per checkout, in the tenant's schema: what a
real provider would keep on its servers."""

from __future__ import annotations

from django.db import models


class DemoCheckout(models.Model):
    ref = models.CharField(max_length=64, unique=True)
    payment_id = models.CharField(max_length=64, unique=True)
    idempotency_key = models.CharField(max_length=255, unique=True)
    amount_cents = models.PositiveIntegerField()
    description = models.CharField(max_length=300, blank=True)
    reference = models.CharField(max_length=40)
    success_url = models.CharField(max_length=500)
    cancel_url = models.CharField(max_length=500)
    status = models.CharField(max_length=12, default="open")  # open, paid, failed, expired
    refunded_cents = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.ref
