"""Starting a payment (citizens): the submission's open payment and the provider's checkout."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from portalwerk.billing.payments.booking import (
    _booking_text,
    fee_account_for,
    next_payment_reference,
)
from portalwerk.billing.payments.errors import PaymentErrorCode as Code
from portalwerk.billing.payments.errors import _error
from portalwerk.billing.payments.handover import prepare_submission
from portalwerk.billing.payments.models import OPEN_STATUSES, Payment, PaymentStatus
from portalwerk.billing.payments.provider_events import refresh_payment
from portalwerk.billing.payments.transitions import _move
from portalwerk.billing.providers import base
from portalwerk.billing.providers.registry import providers
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.forms.models import Submission

log = logging.getLogger(__name__)
S = PaymentStatus


def _provider_for_tenant() -> tuple[str, str, int]:
    """(provider name, account id, platform fee) for the current tenant: its connected Stripe
    account when it has one, else the configured default (the offline demo)."""
    from portalwerk.billing.merchants.models import MerchantAccount

    account = (
        MerchantAccount.objects.filter(tenant__schema_name=connection.schema_name, is_active=True)
        .order_by("connected_at")
        .first()
    )
    if account is not None:
        return account.provider, account.account_id, account.pk
    return settings.PORTALWERK_PAYMENT_DEFAULT_PROVIDER, "", 0


@transaction.atomic
def _open_payment(submission: Submission) -> Payment:
    """The submission's open payment, or a new one in status `created` (committed before the
    provider is called, so a retry finds it and reuses its idempotency key)."""
    from portalwerk.billing.merchants.models import MerchantAccount

    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if Payment.objects.filter(
        submission=locked, status__in=[S.PAID, S.PARTIALLY_REFUNDED]
    ).exists():
        raise _error(Code.ALREADY_PAID, _("This fee has been paid already."))
    if Payment.objects.filter(submission=locked, status=S.REFUNDED).exists():
        raise _error(Code.ALREADY_PAID, _("This fee has been paid and refunded."))
    payment = Payment.objects.filter(submission=locked, status__in=OPEN_STATUSES).first()
    if payment is not None:
        return payment
    provider, account_id, merchant_pk = _provider_for_tenant()
    if not provider:
        raise _error(
            Code.PROVIDER_UNAVAILABLE,
            _("This office does not take payments online yet. Please contact the office."),
        )
    fee = 0
    if merchant_pk:
        fee = MerchantAccount.objects.get(pk=merchant_pk).application_fee_for(locked.fee_cents)
    account = fee_account_for(locked)
    return Payment.objects.create(
        reference=next_payment_reference(),
        submission=locked,
        submission_reference=locked.reference,
        service=(locked.form.service_key or locked.form.title_text("de"))[:200],
        amount_cents=locked.fee_cents,
        application_fee_cents=fee,
        budget_line=account.budget_line if account else "",
        booking_text=_booking_text(account, locked),
        provider=provider,
        account_id=account_id,
    )


def start_payment(*, actor: Actor, submission: Submission, return_url: str) -> Payment:
    """Start (or resume) paying a submission's fee. Returns the payment, pending, with the
    provider's checkout URL. The caller got `submission` through the citizen access helper.
    Twice in a row, it returns the same checkout."""
    if submission.fee_cents <= 0:
        raise _error(Code.NO_FEE, _("There is nothing to pay for this application."))
    prepare_submission(actor=actor, submission=submission)
    payment = _open_payment(submission)
    if payment.status == S.PENDING and payment.checkout_url:
        # The checkout may have expired (or been paid) meanwhile, unseen: ask before reusing it.
        refresh_payment(actor=actor, payment=payment)
        payment.refresh_from_db()
        if payment.status == S.PENDING:
            return payment
        payment = _open_payment(submission)
    base_return = return_url.rstrip("/")
    try:
        # inside the try: a provider switched off since the payment was made is unavailable too
        checkout = providers.get(payment.provider).create_checkout(
            base.CheckoutRequest(
                payment_id=str(payment.pk),
                reference=payment.reference,
                amount_cents=payment.amount_cents,
                currency=payment.currency,
                description=payment.booking_text,
                success_url=f"{base_return}/?result=success",
                cancel_url=f"{base_return}/?result=cancel",
                idempotency_key=payment.idempotency_key("checkout"),
                account_id=payment.account_id,
                application_fee_cents=payment.application_fee_cents,
                customer_email=submission.email,
                metadata={"submission": submission.reference},
            )
        )
    except base.ProviderError as exc:
        log.warning("payment %s: checkout not started: %s", payment.pk, exc)
        raise _error(
            Code.PROVIDER_UNAVAILABLE,
            _("Paying online is not possible just now. Please try again in a few minutes."),
        ) from None
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status == S.CREATED:
            payment.provider_ref = checkout.provider_ref
            payment.checkout_url = checkout.url
            payment.save(update_fields=["provider_ref", "checkout_url", "updated_at"])
            _move(payment, S.PENDING, "start")
    return payment
