from __future__ import annotations

import datetime

import strawberry
from django.core.exceptions import ValidationError
from strawberry import Info

from portalwerk.billing.payments import services, viewing
from portalwerk.graphql.billing.types import PaymentType, Reconciliation, ReconciliationRow
from portalwerk.graphql.core import ids
from portalwerk.graphql.core.permissions import AllowAnonymous, IsClerk

SUBMISSIONS_KEY = "form_submissions"  # where the citizen pages keep a guest's submissions


def owned_submissions(info: Info) -> list[str]:
    session = getattr(info.context.request, "session", None)
    return list(session.get(SUBMISSIONS_KEY, [])) if session is not None else []


@strawberry.type
class PaymentQuery:
    @strawberry.field(
        permission_classes=[AllowAnonymous],
        description="A payment of the citizen's own application (or any, for staff); null when "
        "there is none that the caller may see.",
    )
    def payment(self, info: Info, id: strawberry.ID) -> PaymentType | None:
        pk = ids.decode_or_none(id, "Payment")
        if pk is None:
            return None
        try:
            return viewing.payment_for(
                actor=info.context.request.actor, payment_id=pk, owned=owned_submissions(info)
            )
        except ValidationError:
            return None

    @strawberry.field(
        permission_classes=[IsClerk],
        description="The reconciliation export of a period (finance role; audited).",
    )
    def reconciliation(
        self, info: Info, date_from: datetime.date, date_to: datetime.date
    ) -> Reconciliation | None:
        try:
            _, _, content = services.export_reconciliation(
                actor=info.context.request.actor, date_from=date_from, date_to=date_to, fmt="csv"
            )
        except ValidationError:
            return None
        rows = [
            ReconciliationRow(
                date=datetime.date.fromisoformat(row["date"]),
                payment_reference=row["payment_reference"],
                submission_reference=row["submission_reference"],
                service=row["service"],
                budget_line=row["budget_line"],
                booking_text=row["booking_text"],
                amount_cents=row["amount"],
                fee_cents=row["fee"],
                refunds_cents=row["refunds"],
                payout_cents=row["payout"],
                currency=row["currency"],
            )
            for row in services.reconciliation_rows(date_from, date_to)
        ]
        return Reconciliation(
            date_from=date_from,
            date_to=date_to,
            rows=rows,
            csv=content.decode("utf-8-sig"),
        )
