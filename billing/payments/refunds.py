"""Refunds (clerks): all or part of a paid payment, with a reason; audited."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from portalwerk.billing.payments.errors import PaymentErrorCode as Code
from portalwerk.billing.payments.errors import _error
from portalwerk.billing.payments.models import Payment, PaymentStatus, Refund
from portalwerk.billing.payments.roles import can_refund
from portalwerk.billing.payments.transitions import _move
from portalwerk.billing.providers import base
from portalwerk.billing.providers.registry import providers
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.forms.fees import format_fee

log = logging.getLogger(__name__)
S = PaymentStatus


@transaction.atomic
def refund_payment(*, actor: Actor, payment_id, amount_cents: int | None, reason: str) -> Refund:
    """Refund all (amount None) or part of a paid payment, with a reason; audited. The payment
    is locked, so two clerks cannot refund more than was paid."""
    from portalwerk.billing.payments.access import get_payment_for_clerk

    if not can_refund(actor):
        raise _error(Code.NOT_FOUND, _("This was not found."))
    payment = get_payment_for_clerk(actor, payment_id)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    reason = (reason or "").strip()
    if not reason:
        raise _error(Code.REASON_REQUIRED, _("Give a reason for the refund."), "reason")
    if payment.refundable_cents <= 0:
        raise _error(Code.NOT_REFUNDABLE, _("Only a paid payment can be refunded."))
    amount = payment.refundable_cents if amount_cents is None else amount_cents
    if not isinstance(amount, int) or amount <= 0 or amount > payment.refundable_cents:
        raise _error(
            Code.INVALID_AMOUNT,
            _("Enter an amount between %(min)s and %(max)s.")
            % {"min": format_fee(1), "max": format_fee(payment.refundable_cents)},
            "amount",
        )
    number = payment.refunds.count() + 1
    try:
        result = providers.get(payment.provider).refund(
            base.RefundRequest(
                provider_ref=payment.provider_ref,
                provider_payment_id=payment.provider_payment_id,
                amount_cents=amount,
                idempotency_key=payment.idempotency_key(f"refund-{number}"),
                account_id=payment.account_id,
                metadata={"portalwerk_payment": str(payment.pk), "reference": payment.reference},
            )
        )
    except base.ProviderError as exc:
        log.warning("payment %s: refund refused: %s", payment.pk, exc)
        raise _error(
            Code.PROVIDER_UNAVAILABLE, _("The payment provider did not accept the refund.")
        ) from None
    refund = Refund.objects.create(
        payment=payment,
        number=number,
        amount_cents=amount,
        reason=reason[:500],
        provider_ref=result.provider_ref,
        status=result.status or "succeeded",
        actor=actor.user,
    )
    payment.refunded_cents += amount
    payment.save(update_fields=["refunded_cents", "updated_at"])
    new = S.REFUNDED if payment.refunded_cents == payment.amount_cents else S.PARTIALLY_REFUNDED
    _move(payment, new, f"refund {number}")
    # the reason is free text: it stays on the refund row, not in the audit entry
    record(actor, Action.PAYMENT_REFUNDED, payment, amount_cents=amount, refund=number)
    _tell_citizen(refund)
    return refund


def _tell_citizen(refund: Refund) -> None:
    """The citizen hears of the refund by mail, once the refund is committed."""
    from portalwerk.billing.payments.tasks import send_refund_mail
    from portalwerk.platform.jobs import defer_for_tenant

    submission = refund.payment.submission
    if submission is not None and submission.email and not submission.anonymised_at:
        defer_for_tenant(send_refund_mail, refund_id=str(refund.pk))
