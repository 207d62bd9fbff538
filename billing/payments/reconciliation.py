"""The reconciliation export (finance): what a municipal cash office imports, as CSV or JSON."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portalwerk.billing.payments.booking import tenant_slug
from portalwerk.billing.payments.errors import PaymentErrorCode as Code
from portalwerk.billing.payments.errors import _error
from portalwerk.billing.payments.models import Payment, PaymentStatus
from portalwerk.billing.payments.roles import is_finance
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import Actor

S = PaymentStatus

EXPORT_COLUMNS = [
    "date",
    "payment_reference",
    "submission_reference",
    "service",
    "budget_line",
    "booking_text",
    "amount",
    "fee",
    "refunds",
    "payout",
    "currency",
    "method",
    "provider_reference",
]
MAX_EXPORT_DAYS = 400


def _euros(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def reconciliation_rows(date_from, date_to) -> list[dict]:
    """One row per payment paid in the period (by the date it was paid, local time): what a
    municipal cash office imports. Amounts in cents; payout = amount − fee − refunds."""
    payments = Payment.objects.filter(
        status__in=[S.PAID, S.PARTIALLY_REFUNDED, S.REFUNDED],
        paid_at__date__gte=date_from,
        paid_at__date__lte=date_to,
    ).order_by("paid_at", "reference")
    rows = []
    for p in payments:
        rows.append(
            {
                "date": timezone.localtime(p.paid_at).date().isoformat(),
                "payment_reference": p.reference,
                "submission_reference": p.submission_reference,
                "service": p.service,
                "budget_line": p.budget_line,
                "booking_text": p.booking_text,
                "amount": p.amount_cents,
                "fee": p.application_fee_cents,
                "refunds": p.refunded_cents,
                "payout": p.amount_cents - p.application_fee_cents - p.refunded_cents,
                "currency": p.currency,
                "method": p.method,
                "provider_reference": p.provider_payment_id or p.provider_ref,
            }
        )
    return rows


@transaction.atomic
def export_reconciliation(*, actor: Actor, date_from, date_to, fmt: str) -> tuple[str, str, bytes]:
    """The reconciliation of one period as CSV or JSON: (file name, content type, content).
    Finance role only; audited."""
    import csv
    import io
    import json

    if not is_finance(actor):
        raise _error(Code.PERMISSION_DENIED, _("You may not do this."))
    if fmt not in ("csv", "json"):
        raise _error(Code.UNKNOWN_FORMAT, _("Choose CSV or JSON."), "format")
    if date_from is None or date_to is None or date_from > date_to:
        raise _error(Code.INVALID_PERIOD, _("Enter a period: a start date before the end date."))
    if (date_to - date_from).days > MAX_EXPORT_DAYS:
        raise _error(
            Code.INVALID_PERIOD, _("Export at most %(n)s days at once.") % {"n": MAX_EXPORT_DAYS}
        )
    rows = reconciliation_rows(date_from, date_to)
    slug = tenant_slug()
    name = f"reconciliation-{slug}-{date_from.isoformat()}-{date_to.isoformat()}.{fmt}"
    record(
        actor,
        Action.PAYMENT_RECONCILIATION_EXPORTED,
        date_from=date_from.isoformat(),
        date_to=date_to.isoformat(),
        format=fmt,
        rows=len(rows),
    )
    if fmt == "json":
        totals = {k: sum(r[k] for r in rows) for k in ("amount", "fee", "refunds", "payout")}
        document = {
            "tenant": slug,
            "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
            "currency": "EUR",
            "amounts_in": "cents",
            "rows": rows,
            "totals": totals,
        }
        return name, "application/json", json.dumps(document, ensure_ascii=False, indent=2).encode()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                **row,
                **{k: _euros(row[k]) for k in ("amount", "fee", "refunds", "payout")},
                **{k: _csv_safe(row[k]) for k in ("service", "budget_line", "booking_text")},
            }
        )
    return name, "text/csv; charset=utf-8", ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_safe(value: str) -> str:
    """Cells starting with = + - @ are formulas in spreadsheets: neutralise them."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
