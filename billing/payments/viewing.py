"""Staff looking at payments: a payment names its payer, so every look by staff is recorded in
the audit trail, from the back office and the API alike."""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.utils.translation import gettext_lazy as _

from portalwerk.billing.payments import access, queries
from portalwerk.billing.payments.models import Payment
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import Actor

LIST_LIMIT = 200

# How a payment was made, in words (providers report these codes).
METHOD_LABELS = {
    "card": _("card"),
    "sepa_debit": _("SEPA direct debit"),
    "demo": _("test payment, no real money"),
}


def provider_text(payment: Payment) -> str:
    """ "Stripe (card)": the provider by its name and the way of paying, never the stored codes."""
    from portalwerk.billing.providers.registry import providers

    try:
        name = str(providers.get(payment.provider).label or payment.provider)
    except LookupError:  # a provider switched off since keeps its stored name
        name = payment.provider
    if not payment.method:
        return name
    method = str(METHOD_LABELS.get(payment.method, payment.method))
    return f"{name} ({method})"


def list_payments(
    *,
    actor: Actor,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    status: str = "",
    submission: str = "",
) -> list[Payment]:
    """The newest payments of a period (at most LIST_LIMIT), for staff who may see payments."""
    capabilities.require(actor, capabilities.Capability.SEE_PAYMENTS)
    payments = queries.payments_in_period(date_from, date_to, status)
    if submission:
        payments = payments.filter(submission_reference=submission[:32])
    rows = list(payments[:LIST_LIMIT])
    filters = {"from": date_from, "to": date_to, "status": status, "submission": submission}
    record(
        actor,
        Action.PAYMENT_VIEWED,
        rows=len(rows),
        filtered=sorted(name for name, value in filters.items() if value),
    )
    return rows


def open_payment(*, actor: Actor, payment_id) -> Payment:
    """One payment for staff (the uniform not-found otherwise), recorded."""
    payment = access.get_payment_for_clerk(actor, payment_id)
    record(actor, Action.PAYMENT_VIEWED, payment)
    return payment


def payment_for(*, actor: Actor, payment_id, owned: Collection[str] = ()) -> Payment:
    """A citizen's own payment, or any of the tenant's for staff; a look by staff is recorded."""
    payment = access.get_payment_for(actor, payment_id, owned)
    if capabilities.can_see_payments(actor):
        record(actor, Action.PAYMENT_VIEWED, payment)
    return payment
