"""GraphQL types of payments (tenant API)."""

from __future__ import annotations

import datetime
from enum import Enum

import strawberry
import strawberry_django

from portalwerk.billing.payments import models
from portalwerk.graphql.core import ids

PaymentStatus = strawberry.enum(
    Enum("PaymentStatus", [(member.name, member.value) for member in models.PaymentStatus]),
    description="Where a payment is: created → pending → paid | failed | expired; "
    "paid → partially refunded → refunded.",
)


@strawberry_django.type(models.Refund, name="Refund", description="A refund of a payment.")
class RefundType:
    amount_cents: int
    reason: str
    created_at: datetime.datetime


@strawberry_django.type(
    models.Payment, name="Payment", description="The payment of an application's fee."
)
class PaymentType(ids.Node):
    reference: str = strawberry_django.field(description="The payment reference (Kassenzeichen).")
    amount_cents: int = strawberry_django.field(description="The amount in cents.")
    currency: str
    refunded_cents: int
    created_at: datetime.datetime
    paid_at: datetime.datetime | None

    @strawberry_django.field(description="Where the payment is.")
    def status(self) -> PaymentStatus:
        return PaymentStatus(self.status)

    submission_reference: str = strawberry_django.field(
        description="The reference of the application the fee is for."
    )

    @strawberry_django.field(description="Where to pay while the payment is pending.")
    def checkout_url(self) -> str | None:
        return self.checkout_url if self.status == models.PaymentStatus.PENDING else None


@strawberry.type(name="ReconciliationRow", description="One paid payment, for the cash office.")
class ReconciliationRow:
    date: datetime.date
    payment_reference: str
    submission_reference: str
    service: str
    budget_line: str
    booking_text: str
    amount_cents: int
    fee_cents: int
    refunds_cents: int
    payout_cents: int
    currency: str


@strawberry.type(name="Reconciliation", description="The reconciliation of one period.")
class Reconciliation:
    date_from: datetime.date
    date_to: datetime.date
    rows: list[ReconciliationRow]
    csv: str = strawberry.field(description="The same rows as the CSV file of the back office.")
