"""List reads of payments, joined for their callers (constant query count)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import QuerySet

from portalwerk.billing.payments.models import Payment


def payments_in_period(
    date_from: datetime.date | None = None, date_to: datetime.date | None = None, status: str = ""
) -> QuerySet[Payment]:
    qs = Payment.objects.all()
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at")


def latest_payments(submission_ids: Iterable[int]) -> dict[int, Payment]:
    """The newest payment of each submission, in one query."""
    latest: dict[int, Payment] = {}
    rows = Payment.objects.filter(submission_id__in=list(submission_ids)).order_by(
        "submission_id", "-created_at"
    )
    for payment in rows:
        latest.setdefault(payment.submission_id, payment)
    return latest
