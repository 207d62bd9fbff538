"""The `demo` provider: offline, its checkout is a page of the tenant's own portal."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy

from portalwerk.billing.providers.base import (
    Checkout,
    CheckoutRequest,
    PaymentProvider,
    ProviderError,
    RefundRequest,
    RefundResult,
    RemoteState,
    RemoteStatus,
)
from portalwerk.billing.providers.registry import providers


@providers.register("demo")
class DemoProvider(PaymentProvider):
    label = gettext_lazy("demo payment service")
    demo = True
    # Its checkout page, on the tenant's own host; routed only while the plugin is enabled.
    tenant_urls = ("pay/demo/", "portalwerk.billing.providers.contrib.demo.urls")

    def check_config(self) -> list[str]:
        return []

    def create_checkout(self, request: CheckoutRequest) -> Checkout:
        from portalwerk.billing.providers.contrib.demo.models import DemoCheckout

        existing = DemoCheckout.objects.filter(idempotency_key=request.idempotency_key).first()
        if existing is None:
            try:
                with transaction.atomic():
                    existing = DemoCheckout.objects.create(
                        ref="demo_" + secrets.token_urlsafe(18),
                        payment_id=request.payment_id,
                        idempotency_key=request.idempotency_key,
                        amount_cents=request.amount_cents,
                        description=request.description[:300],
                        reference=request.reference,
                        success_url=request.success_url,
                        cancel_url=request.cancel_url,
                    )
            except IntegrityError:
                existing = DemoCheckout.objects.get(idempotency_key=request.idempotency_key)
        if existing.amount_cents != request.amount_cents:
            raise ProviderError("idempotency key reused with other parameters")
        url = reverse("demo_provider:checkout", kwargs={"ref": existing.ref})
        return Checkout(provider_ref=existing.ref, url=url)

    def fetch_state(self, provider_ref: str, *, account_id: str = "") -> RemoteState:
        from portalwerk.billing.providers.contrib.demo.models import DemoCheckout

        checkout = DemoCheckout.objects.filter(ref=provider_ref).first()
        if checkout is None:
            raise ProviderError("unknown demo checkout")
        return RemoteState(
            provider_ref=checkout.ref,
            status=RemoteStatus(checkout.status),
            amount_cents=checkout.amount_cents,
            provider_payment_id=checkout.ref,
            method="demo",
            failure_reason="declined" if checkout.status == "failed" else "",
        )

    def refund(self, request: RefundRequest) -> RefundResult:
        from portalwerk.billing.providers.contrib.demo.models import DemoCheckout

        checkout = DemoCheckout.objects.select_for_update().filter(ref=request.provider_ref).first()
        if checkout is None or checkout.status != "paid":
            raise ProviderError("this demo checkout was not paid")
        if checkout.refunded_cents + request.amount_cents > checkout.amount_cents:
            raise ProviderError("refund larger than the payment")
        checkout.refunded_cents += request.amount_cents
        checkout.save(update_fields=["refunded_cents"])
        return RefundResult(
            provider_ref=f"demo_re_{request.idempotency_key[-12:]}", succeeded=True, status="ok"
        )
