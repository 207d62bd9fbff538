"""The demo checkout page: clearly labelled, two buttons, no JavaScript. Choosing sends the same
kind of event a real provider would, through the same handler as the webhooks."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from portalwerk.billing.providers.base import ProviderEvent
from portalwerk.billing.providers.contrib.demo.models import DemoCheckout


@require_http_methods(["GET", "POST"])
def checkout(request, ref: str):
    from portalwerk.billing.payments import services
    from portalwerk.platform.forms.receipts import format_fee

    demo = DemoCheckout.objects.filter(ref=ref).first()
    if demo is None:
        raise Http404
    if request.method == "POST" and demo.status == "open":
        outcome = request.POST.get("outcome")
        if outcome in ("pay", "fail"):
            with transaction.atomic():
                locked = DemoCheckout.objects.select_for_update().get(pk=demo.pk)
                if locked.status == "open":
                    locked.status = "paid" if outcome == "pay" else "failed"
                    locked.save(update_fields=["status"])
            services.handle_provider_event(
                provider="demo",
                event=ProviderEvent(
                    event_id="demo_evt_" + secrets.token_hex(12),
                    type="checkout.completed",
                    provider_ref=demo.ref,
                ),
            )
            return redirect(demo.success_url if outcome == "pay" else demo.cancel_url)
    if demo.status != "open":
        return redirect(demo.success_url if demo.status == "paid" else demo.cancel_url)
    return render(
        request,
        "demo_provider/checkout.html",
        {"demo": demo, "amount": format_fee(demo.amount_cents)},
    )
