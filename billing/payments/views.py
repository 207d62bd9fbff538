"""Pages of the payments app: the citizen's payment step (after "check your answers"), the
clerk's payments (refunds, reconciliation export) and the one provider webhook endpoint."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_tenants.utils import schema_context

from portalwerk.billing.payments import availability, queries, services, viewing
from portalwerk.billing.payments.models import PaymentStatus
from portalwerk.platform import dates
from portalwerk.platform.backoffice import backoffice_site
from portalwerk.platform.forms.receipts import format_fee

log = logging.getLogger(__name__)
SUBMISSIONS_KEY = "form_submissions"  # where the forms views keep a guest's submissions


def _messages(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "error_dict"):
        return {k: v[0].messages[0] for k, v in exc.error_dict.items()}
    return {"__all__": exc.messages[0]}


def _submission(request, reference: str):
    from portalwerk.platform.forms.access import get_submission_for
    from portalwerk.platform.forms.views import applicant_actor

    try:
        return get_submission_for(
            applicant_actor(request, reference),
            reference,
            list(request.session.get(SUBMISSIONS_KEY, [])),
        )
    except ValidationError:
        raise Http404 from None


# --- citizens ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def pay(request, reference: str):
    """The payment step of one submission: pay now, come back, see where the payment is."""
    submission = _submission(request, reference)
    if submission.fee_cents <= 0:
        raise Http404
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        return_url = request.build_absolute_uri(
            reverse("payments:pay", kwargs={"reference": reference})
        )
        try:
            payment = services.start_payment(
                actor=request.actor, submission=submission, return_url=return_url
            )
        except ValidationError as exc:
            errors = _messages(exc)
            status = 409
        else:
            return redirect(payment.checkout_url)
    latest = queries.latest_payments([submission.pk]).get(submission.pk)
    if latest is not None and request.GET.get("result") == "success":
        services.refresh_payment(actor=request.actor, payment=latest)
        latest.refresh_from_db()
    hand_over = getattr(submission, "hand_over", None) if submission.pk else None
    return render(
        request,
        "payments/pay.html",
        {
            "submission": submission,
            "form_title": submission.form.title_text(),
            "fee": format_fee(submission.fee_cents),
            "payment": latest,
            "can_pay": latest is None
            or latest.status in ("created", "pending", "failed", "expired"),
            # no button that can only fail: say at once when no provider can take the fee
            "online": availability.current_provider().name != "",
            "cancelled": request.GET.get("result") == "cancel",
            "hand_over": hand_over,
            "errors": [{"href": "", "message": m} for m in errors.values()],
        },
        status=status,
    )


# --- clerks -----------------------------------------------------------------------------------


@backoffice_site.admin_view
def clerk_list(request):
    params = request.GET
    days, date_errors = dates.date_filters(params)
    try:
        payments = viewing.list_payments(
            actor=request.actor,
            date_from=days.get("from"),
            date_to=days.get("to"),
            status=params.get("status", ""),
            submission=params.get("submission", ""),
        )
    except ValidationError:
        raise Http404 from None
    return render(
        request,
        "payments/clerk_list.html",
        {
            "payments": payments,
            "statuses": PaymentStatus.choices,
            "params": params,
            "date_errors": date_errors,
        },
        # a mistyped date is said at its field; the list shows the other filters' payments
        status=400 if date_errors else 200,
    )


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def clerk_detail(request, payment_id):
    try:
        payment = viewing.open_payment(actor=request.actor, payment_id=payment_id)
    except ValidationError:
        raise Http404 from None
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        raw = (request.POST.get("amount") or "").strip().replace(",", ".")
        amount = None
        if raw:
            try:
                euros, _, cents = raw.partition(".")
                amount = int(euros or "0") * 100 + int((cents + "00")[:2] or "0")
                if len(cents) > 2:
                    raise ValueError
            except ValueError:
                amount = -1
        try:
            services.refund_payment(
                actor=request.actor,
                payment_id=payment.pk,
                amount_cents=amount,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as exc:
            errors = _messages(exc)
            status = 400
        else:
            return redirect("payments-backoffice:detail", payment_id=payment.pk)
    return render(
        request,
        "payments/clerk_detail.html",
        {
            "payment": payment,
            "amount": format_fee(payment.amount_cents),
            "refundable": format_fee(payment.refundable_cents),
            "refunds": payment.refunds.select_related("actor"),
            "changes": payment.status_changes.all(),
            "provider": viewing.provider_text(payment),
            "can_refund": services.can_refund(request.actor) and payment.refundable_cents > 0,
            "errors": errors,
            "amount_error": errors.get("amount", ""),
            "reason_error": errors.get("reason", ""),
            "form_error": errors.get("__all__", ""),
        },
        status=status,
    )


@backoffice_site.admin_view
def clerk_export(request):
    params = request.GET
    try:
        name, content_type, content = services.export_reconciliation(
            actor=request.actor,
            date_from=dates.parse_date(params.get("from", "")),
            date_to=dates.parse_date(params.get("to", "")),
            fmt=params.get("format", "csv"),
        )
    except ValidationError as exc:
        codes = {error.code for error in getattr(exc, "error_list", [])} | {
            error.code for errors in getattr(exc, "error_dict", {}).values() for error in errors
        }
        if "permission_denied" in codes:
            raise Http404 from None
        return HttpResponseBadRequest(next(iter(_messages(exc).values())))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def merchant_account(request):
    """The tenant admin connects or disconnects the office's Stripe account (the platform fee
    is the operator's to set), and sees which provider citizens pay with now."""
    from portalwerk.billing.merchants.services import (
        account_for_tenant,
        connect_account,
        disconnect_account,
    )
    from portalwerk.billing.payments.availability import current_provider, flag_blocked_hand_overs
    from portalwerk.platform.authz.capabilities import can_manage_merchant_account

    if not can_manage_merchant_account(request.actor):
        raise Http404
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "disconnect":
                disconnect_account(actor=request.actor, tenant=request.tenant, provider="stripe")
            else:
                connect_account(
                    actor=request.actor,
                    tenant=request.tenant,
                    provider="stripe",
                    account_id=(request.POST.get("account_id") or "").strip(),
                )
        except ValidationError as exc:
            errors = _messages(exc)
            status = 400
        else:
            flag_blocked_hand_overs()  # whether held applications can be paid changed now
            return redirect("payments-backoffice:account")
    account = account_for_tenant(request.tenant, "stripe")
    return render(
        request,
        "payments/merchant_account.html",
        {
            "account": account,
            "current": current_provider(),
            "fee": format_fee(account.application_fee_cents) if account else "",
            "error": next(iter(errors.values()), ""),
            "value": request.POST.get("account_id", ""),
        },
        status=status,
    )


# --- the webhook endpoint (base host, all tenants) -------------------------------------------


@csrf_exempt
@require_POST
def webhook(request, provider: str):
    """One endpoint for every tenant. The signature is checked first; the tenant is the owner of
    the connected account the event is about; the event id is processed once. Anything not
    genuine, or about an account no tenant owns, gets a 400 and changes nothing."""
    from portalwerk.billing.merchants.services import tenant_for_account
    from portalwerk.billing.providers.base import InvalidEvent, ProviderError
    from portalwerk.billing.providers.registry import providers

    try:
        plugin = providers.get(provider)
    except LookupError:
        raise Http404 from None
    if not plugin.signs_webhooks:
        raise Http404
    try:
        event = plugin.parse_webhook(request.body, request.headers)
    except InvalidEvent as exc:
        log.warning("webhook %s rejected: %s", provider, exc)
        return HttpResponseBadRequest("invalid event")
    tenant = tenant_for_account(provider, event.account_id)
    if tenant is None:
        log.warning("webhook %s event %s: unknown account", provider, event.event_id)
        return HttpResponseBadRequest("unknown account")
    try:
        with schema_context(tenant.schema_name):
            result = services.handle_provider_event(provider=provider, event=event)
    except ProviderError as exc:
        log.warning("webhook %s event %s: could not re-read: %s", provider, event.event_id, exc)
        return HttpResponse("try again", status=503)  # the provider retries later
    if result.outcome == services.EventOutcome.WRONG_ACCOUNT:
        log.warning("webhook %s event %s: account does not match", provider, event.event_id)
        return HttpResponseBadRequest("account does not match")
    log.info("webhook %s event %s: %s", provider, event.event_id, result.outcome)
    return HttpResponse(result.outcome, content_type="text/plain")
