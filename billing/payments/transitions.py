"""The payment state machine: moving a locked payment forward, and applying what a provider
reports about it. `_move` is private to the payments app: its modules call it on payments they
have locked."""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.translation import gettext as _

from portalwerk.billing.payments.errors import PaymentErrorCode as Code
from portalwerk.billing.payments.errors import _error
from portalwerk.billing.payments.handover import _on_paid
from portalwerk.billing.payments.models import Payment, PaymentStatus, StatusChange, can_move
from portalwerk.billing.providers import base
from portalwerk.platform.operations.metrics import PAYMENTS, count_on_commit

log = logging.getLogger(__name__)
S = PaymentStatus


def _move(payment: Payment, new: str, source: str) -> bool:
    """Move a locked payment forward; refuse anything else. Returns whether it moved."""
    old = payment.status
    if old == new and new != S.PARTIALLY_REFUNDED:
        return False
    if not can_move(old, new):
        raise _error(
            Code.INVALID_TRANSITION,
            _("A payment that is “%(old)s” cannot become “%(new)s”.")
            % {"old": S(old).label, "new": S(new).label if new in S.values else new},
        )
    now = timezone.now()
    payment.status = new
    fields = ["status", "updated_at"]
    if new == S.PENDING:
        payment.pending_at = now
        fields.append("pending_at")
    elif new == S.PAID:
        payment.paid_at = now
        fields.append("paid_at")
    elif new in (S.FAILED, S.EXPIRED):
        payment.closed_at = now
        fields.append("closed_at")
    payment.save(update_fields=fields)
    StatusChange.objects.create(payment=payment, old_status=old, new_status=new, source=source)
    count_on_commit(PAYMENTS, status=new)
    if new == S.PAID:
        _on_paid(payment)
    return True


REMOTE_TO_STATUS = {
    base.RemoteStatus.PAID: S.PAID,
    base.RemoteStatus.FAILED: S.FAILED,
    base.RemoteStatus.EXPIRED: S.EXPIRED,
}


def apply_remote_state(payment: Payment, state: base.RemoteState, *, source: str) -> bool:
    """Bring a locked payment up to what the provider says. Only forward moves apply: a stale
    read (an older state than ours) changes nothing. Returns whether the status changed."""
    if state.provider_payment_id and not payment.provider_payment_id:
        payment.provider_payment_id = state.provider_payment_id
        payment.save(update_fields=["provider_payment_id", "updated_at"])
    new = REMOTE_TO_STATUS.get(state.status)
    if new is None or payment.status != S.PENDING:
        return False  # open / processing: still pending; or we are already past this
    if (
        new == S.PAID
        and state.amount_cents is not None
        and state.amount_cents != payment.amount_cents
    ):
        log.error("payment %s: provider reports another amount; not marked paid", payment.pk)
        return False
    if new == S.PAID:
        payment.method = state.method or payment.method
        payment.application_fee_cents = state.application_fee_cents or payment.application_fee_cents
        payment.save(update_fields=["method", "application_fee_cents", "updated_at"])
    elif new == S.FAILED:
        payment.failure_reason = (state.failure_reason or "failed")[:60]
        payment.save(update_fields=["failure_reason", "updated_at"])
    return _move(payment, new, source)
