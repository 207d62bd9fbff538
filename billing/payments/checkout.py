"""Starting a payment (citizens): the submission's open payment and the provider's checkout."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portalwerk.billing.payments.availability import (
    current_provider,
    flag_blocked_hand_overs,
    is_current,
)
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
from portalwerk.billing.payments.transitions import _move, apply_remote_state
from portalwerk.billing.providers import base
from portalwerk.billing.providers.registry import providers
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.forms.models import Submission
from portalwerk.tenants.models import Module
from portalwerk.tenants.modules import require_module

log = logging.getLogger(__name__)
#: the longest a provider's checkout page stays payable (Stripe: 24 hours at most)
CHECKOUT_LIFETIME = datetime.timedelta(hours=24)
S = PaymentStatus


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
    current = current_provider()
    if not current.name:
        raise _error(
            Code.PROVIDER_UNAVAILABLE,
            _("This office does not take payments online yet. Please contact the office."),
        )
    fee = 0
    if current.merchant_pk:
        merchant = MerchantAccount.objects.get(pk=current.merchant_pk)
        fee = merchant.application_fee_for(locked.fee_cents)
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
        provider=current.name,
        account_id=current.account_id,
    )


def _supersede(payment: Payment) -> None:
    """The open payment was started with a provider or account the tenant no longer uses
    (switched off, disconnected, deleted): close it so paying starts again with the current
    one. A checkout the old provider still answers for is read first (it may have been paid
    meanwhile: then that stands) and closed there, so it cannot be paid twice."""
    if payment.status == S.PENDING and payment.provider_ref:
        try:
            plugin = providers.get(payment.provider)
            state = plugin.fetch_state(payment.provider_ref, account_id=payment.account_id)
        except base.ProviderError as exc:
            log.warning("payment %s: old provider cannot be asked: %s", payment.pk, exc)
            # Its checkout may still be open in another tab: closing ours now could let it be
            # paid too, unrecorded. Once no checkout can outlive it, it is safe to start again.
            if timezone.now() - payment.created_at < CHECKOUT_LIFETIME:
                raise _error(
                    Code.PROVIDER_UNAVAILABLE,
                    _(
                        "Your earlier payment page may still be open and cannot be checked "
                        "just now. Please try again later."
                    ),
                ) from None
        else:
            if state.status == base.RemoteStatus.PROCESSING:
                raise _error(
                    Code.PAYMENT_PROCESSING,
                    _("Your payment is being processed. Please check again in a few days."),
                )
            if state.status == base.RemoteStatus.OPEN:
                try:
                    plugin.expire_checkout(payment.provider_ref, account_id=payment.account_id)
                except base.ProviderError as exc:
                    log.warning("payment %s: old checkout not closed: %s", payment.pk, exc)
                    raise _error(
                        Code.PROVIDER_UNAVAILABLE,
                        _("Paying online is not possible just now. Please try again later."),
                    ) from None
            else:
                with transaction.atomic():
                    locked = Payment.objects.select_for_update().get(pk=payment.pk)
                    apply_remote_state(locked, state, source="superseded")
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status in OPEN_STATUSES:
            _move(locked, S.EXPIRED, "superseded: provider no longer usable")


def start_payment(*, actor: Actor, submission: Submission, return_url: str) -> Payment:
    """Start (or resume) paying a submission's fee. Returns the payment, pending, with the
    provider's checkout URL. The caller got `submission` through the citizen access helper.
    Twice in a row, it returns the same checkout. Refused (`module_off`) while the tenant has
    e-payment switched off."""
    require_module(Module.PAYMENTS)
    if submission.fee_cents <= 0:
        raise _error(Code.NO_FEE, _("There is nothing to pay for this application."))
    prepare_submission(actor=actor, submission=submission)
    try:
        payment = _open_payment(submission)
        if not is_current(payment):
            _supersede(payment)
            payment = _open_payment(submission)
    except ValidationError:
        flag_blocked_hand_overs()  # no provider: the clerks see the held submission
        raise
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
