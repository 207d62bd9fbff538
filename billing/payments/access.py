"""Reads by id, inside the current tenant and the actor's rights, with one uniform "not found"."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portalwerk.billing.payments.errors import PaymentErrorCode
from portalwerk.billing.payments.models import Payment
from portalwerk.platform.authz.actors import Actor


def not_found() -> ValidationError:
    return ValidationError(_("This was not found."), code=PaymentErrorCode.NOT_FOUND)


def _uuid(value) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (TypeError, ValueError):
        return None


def get_payment_for_clerk(actor: Actor, payment_id) -> Payment:
    from portalwerk.billing.payments.roles import can_see_payments

    pk = _uuid(payment_id)
    if pk is None or not can_see_payments(actor):
        raise not_found()
    payment = Payment.objects.select_related("submission__form").filter(pk=pk).first()
    if payment is None:
        raise not_found()
    return payment


def get_payment_for(actor: Actor, payment_id, owned: Collection[str] = ()) -> Payment:
    """A citizen's own payment (through their own submission); staff of the tenant too."""
    from portalwerk.billing.payments.roles import can_see_payments
    from portalwerk.platform.forms.access import get_submission_for

    pk = _uuid(payment_id)
    if pk is None:
        raise not_found()
    payment = Payment.objects.select_related("submission__form").filter(pk=pk).first()
    if payment is None:
        raise not_found()
    if can_see_payments(actor):
        return payment
    if payment.submission is None:
        raise not_found()
    try:
        get_submission_for(actor, payment.submission.reference, owned)
    except ValidationError:
        raise not_found() from None
    return payment
