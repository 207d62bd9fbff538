"""Writes on payments, gathered in one place so callers keep a single import
(`from portalwerk.billing.payments import services`). The code lives in the modules named for
what they hold:

- `roles`: who may see, refund and export payments; granting the finance role
- `booking`: where a fee is booked, its hand-over policy, payment references
- `handover`: handing a submission with a fee over to the office
- `transitions`: the payment state machine, applying what a provider reports
- `checkout`: starting a payment (citizens)
- `provider_events`: provider events (webhooks, the demo page), re-reading a payment
- `refunds`: refunds (clerks); every staff action is recorded in `portalwerk.platform.audit`
- `reconciliation`: the reconciliation export (finance)

Every function takes the acting user explicitly (`actor`), raises ValidationError with a
`PaymentErrorCode`, and defers its jobs in the same transaction as the write that caused them.
Calls to a provider carry an idempotency key derived from our payment's identity.

`_move` and `_open_payment` are re-exported too: tests drive the state machine and the open
payment directly."""

from __future__ import annotations

from portalwerk.billing.payments.booking import (
    fee_account_for,
    hand_over_policy,
    next_payment_reference,
    tenant_slug,
)
from portalwerk.billing.payments.checkout import _open_payment, start_payment
from portalwerk.billing.payments.handover import prepare_submission
from portalwerk.billing.payments.provider_events import (
    EventOutcome,
    EventResult,
    handle_provider_event,
    refresh_payment,
)
from portalwerk.billing.payments.reconciliation import (
    EXPORT_COLUMNS,
    MAX_EXPORT_DAYS,
    export_reconciliation,
    reconciliation_rows,
)
from portalwerk.billing.payments.refunds import refund_payment
from portalwerk.billing.payments.roles import (
    can_refund,
    can_see_payments,
    grant_finance_role,
    is_finance,
)
from portalwerk.billing.payments.transitions import REMOTE_TO_STATUS, _move, apply_remote_state

__all__ = [
    "EXPORT_COLUMNS",
    "MAX_EXPORT_DAYS",
    "REMOTE_TO_STATUS",
    "EventOutcome",
    "EventResult",
    "_move",
    "_open_payment",
    "apply_remote_state",
    "can_refund",
    "can_see_payments",
    "export_reconciliation",
    "fee_account_for",
    "grant_finance_role",
    "hand_over_policy",
    "handle_provider_event",
    "is_finance",
    "next_payment_reference",
    "prepare_submission",
    "reconciliation_rows",
    "refresh_payment",
    "refund_payment",
    "start_payment",
    "tenant_slug",
]
