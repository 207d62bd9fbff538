"""What providers report (webhooks, the demo page), applied once per event; and re-reading a
pending payment when the citizen comes back before the webhook."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from django.db import connection, transaction

from portalwerk.billing.payments.models import Payment, PaymentStatus, ProviderEventRecord
from portalwerk.billing.payments.transitions import apply_remote_state
from portalwerk.billing.providers import base
from portalwerk.billing.providers.registry import providers
from portalwerk.platform.authz.actors import Actor

log = logging.getLogger(__name__)
S = PaymentStatus


class EventOutcome(StrEnum):
    APPLIED = "applied"  # the payment's status changed
    UNCHANGED = "unchanged"  # re-read, nothing new
    DUPLICATE = "duplicate"  # this event id was processed before
    IGNORED = "ignored"  # not about a payment of ours
    WRONG_ACCOUNT = "wrong_account"


@dataclass(frozen=True)
class EventResult:
    outcome: EventOutcome
    payment_id: str = ""


def _record_event(provider: str, event: base.ProviderEvent) -> int | None:
    """Insert the event id; None when it is there already (or being inserted by a concurrent
    transaction, which we wait for)."""
    table = ProviderEventRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (provider, event_id, type, outcome, received_at) "
            "VALUES (%s, %s, %s, '', now()) ON CONFLICT (provider, event_id) DO NOTHING "
            "RETURNING id",
            [provider, event.event_id[:255], event.type[:80]],
        )
        row = cursor.fetchone()
    return row[0] if row else None


@transaction.atomic
def handle_provider_event(*, provider: str, event: base.ProviderEvent) -> EventResult:
    """Process a provider event once, in the current tenant's schema: store its id (unique),
    lock the payment, re-read the checkout from the provider and apply what it says. Whatever
    order events come in, and however often, the payment ends where the provider says it is."""
    record_id = _record_event(provider, event)
    if record_id is None:
        return EventResult(EventOutcome.DUPLICATE)
    record = ProviderEventRecord.objects.filter(pk=record_id)
    payment = None
    if event.provider_ref:
        payment = (
            Payment.objects.select_for_update()
            .filter(provider=provider, provider_ref=event.provider_ref)
            .first()
        )
    if payment is None:
        record.update(outcome=EventOutcome.IGNORED)
        return EventResult(EventOutcome.IGNORED)
    if event.account_id and event.account_id != payment.account_id:
        log.warning("event %s names another account than its payment", event.event_id)
        transaction.set_rollback(True)
        return EventResult(EventOutcome.WRONG_ACCOUNT, str(payment.pk))
    state = providers.get(provider).fetch_state(payment.provider_ref, account_id=payment.account_id)
    changed = apply_remote_state(payment, state, source=f"event {event.event_id}"[:120])
    outcome = EventOutcome.APPLIED if changed else EventOutcome.UNCHANGED
    record.update(outcome=outcome, payment=payment)
    return EventResult(outcome, str(payment.pk))


def refresh_payment(*, actor: Actor, payment: Payment) -> bool:
    """Re-read a pending payment from its provider (the citizen came back from the checkout
    before the webhook did). Returns whether it changed."""
    if payment.status != S.PENDING or not payment.provider_ref:
        return False
    try:
        state = providers.get(payment.provider).fetch_state(
            payment.provider_ref, account_id=payment.account_id
        )
    except base.ProviderError as exc:
        log.warning("payment %s: could not re-read: %s", payment.pk, exc)
        return False
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        return apply_remote_state(locked, state, source="return")
