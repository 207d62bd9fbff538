"""Writes on payments: starting a payment, applying what a provider reports, refunds, the
reconciliation export, the finance role.

Every function takes the acting user explicitly (`actor`), raises ValidationError with a
`PaymentErrorCode`, and defers its jobs in the same transaction as the write that caused them.
Calls to a provider carry an idempotency key derived from our payment's identity."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portalwerk.billing.payments.errors import PaymentErrorCode as Code
from portalwerk.billing.payments.models import (
    OPEN_STATUSES,
    AuditAction,
    AuditEntry,
    FeeAccount,
    FinanceAccess,
    HandOver,
    HandOverPolicy,
    Payment,
    PaymentReferenceSequence,
    PaymentStatus,
    ProviderEventRecord,
    Refund,
    StatusChange,
    can_move,
)
from portalwerk.billing.providers import base
from portalwerk.billing.providers.registry import get_provider
from portalwerk.platform.forms.models import Submission

log = logging.getLogger(__name__)
S = PaymentStatus


def _error(code: str, message: str, field: str = "__all__") -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


# --- roles --------------------------------------------------------------------------------


def _active_staff(actor) -> bool:
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and actor.is_active
        and getattr(actor, "is_clerk", False)
    )


def can_see_payments(actor) -> bool:
    return _active_staff(actor)


def is_finance(actor) -> bool:
    from portalwerk.platform.accounts.models import Role

    if not _active_staff(actor):
        return False
    return actor.role == Role.TENANT_ADMIN or FinanceAccess.objects.filter(user=actor).exists()


def can_refund(actor) -> bool:
    from portalwerk.platform.accounts.models import Role

    return _active_staff(actor) and (
        actor.role in {Role.CLERK_PROCESSOR, Role.TENANT_ADMIN} or is_finance(actor)
    )


@transaction.atomic
def grant_finance_role(*, actor, user) -> FinanceAccess:
    from portalwerk.platform.accounts.models import Role

    if not (_active_staff(actor) and actor.role == Role.TENANT_ADMIN):
        raise _error(Code.PERMISSION_DENIED, _("You may not do this."))
    if not getattr(user, "is_clerk", False):
        raise _error(Code.PERMISSION_DENIED, _("Only staff can have the finance role."), "user")
    access, _created = FinanceAccess.objects.get_or_create(user=user)
    return access


# --- where a fee is booked ------------------------------------------------------------------


def fee_account_for(submission: Submission) -> FeeAccount | None:
    form = submission.form
    own = FeeAccount.objects.filter(form=form).first()
    if own is not None:
        return own
    if form.service_key:
        return FeeAccount.objects.filter(form__isnull=True, service_key=form.service_key).first()
    return None


def _booking_text(account: FeeAccount | None, submission: Submission) -> str:
    form_title = submission.form.title_text("de")
    template = (account.booking_text if account else "") or "{form} {reference}"
    try:
        text = template.format(reference=submission.reference, form=form_title)
    except (KeyError, IndexError, ValueError):
        text = f"{template} {submission.reference}"
    return text[:140]


def hand_over_policy(submission: Submission) -> str:
    account = fee_account_for(submission)
    return account.hand_over if account else HandOverPolicy.AFTER_PAYMENT


# --- references -----------------------------------------------------------------------------


def tenant_slug() -> str:
    """The current tenant's slug, also where only the schema is set (jobs, schema_context)."""
    from portalwerk.tenants.models import Tenant

    slug = getattr(getattr(connection, "tenant", None), "slug", None)
    if slug:
        return slug
    found = Tenant.objects.filter(schema_name=connection.schema_name).values_list("slug", flat=True)
    return found.first() or connection.schema_name


def next_payment_reference() -> str:
    """A human-readable payment reference, per tenant and year: `ALP-2026-Z000042`."""
    from portalwerk.platform.forms.services import reference_prefix

    prefix = reference_prefix(tenant_slug())
    year = timezone.localdate().year
    table = PaymentReferenceSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last) VALUES (%s, 1) "
            f"ON CONFLICT (year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [year],
        )
        number = cursor.fetchone()[0]
    return f"{prefix}-{year}-Z{number:06d}"


# --- hand-over ------------------------------------------------------------------------------


@transaction.atomic
def prepare_submission(*, actor, submission: Submission) -> HandOver | None:
    """Right after a submission with a fee was made: decide its hand-over. With the form's
    policy "after payment" it is held until paid; "immediately" hands it over now, marked
    "payment pending". Idempotent."""
    if submission.fee_cents <= 0:
        return None
    existing = HandOver.objects.filter(submission=submission).first()
    if existing is not None:
        return existing
    immediately = hand_over_policy(submission) == HandOverPolicy.IMMEDIATELY
    # get_or_create: a concurrent request (a double click) may have made it a moment ago
    hand_over, created = HandOver.objects.get_or_create(
        submission=submission,
        defaults={"held": not immediately, "payment_pending": immediately},
    )
    if created and immediately:
        _hand_over(hand_over, payment=None)
        hand_over.refresh_from_db()
    return hand_over


def _hand_over(hand_over: HandOver, payment: Payment | None) -> bool:
    """Hand the submission over exactly once (conditional update, in the caller's
    transaction); defers the hand-over job. Returns whether it happened now."""
    from portalwerk.billing.payments import tasks
    from portalwerk.platform.jobs import defer_for_tenant

    now = timezone.now()
    changed = HandOver.objects.filter(pk=hand_over.pk, handed_over_at__isnull=True).update(
        held=False, handed_over_at=now, payment=payment
    )
    if changed:
        defer_for_tenant(tasks.hand_over_submission, submission_id=hand_over.submission_id)
    return bool(changed)


def _on_paid(payment: Payment) -> None:
    if payment.submission_id is None:
        return  # purged meanwhile: nothing to hand over
    hand_over, _created = HandOver.objects.get_or_create(
        submission_id=payment.submission_id, defaults={"held": True}
    )
    if hand_over.handed_over_at is None:
        _hand_over(hand_over, payment)
    HandOver.objects.filter(pk=hand_over.pk).update(payment_pending=False, payment=payment)


# --- the state machine ----------------------------------------------------------------------


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


# --- starting a payment (citizens) ----------------------------------------------------------


def _provider_for_tenant() -> tuple[str, str, int]:
    """(provider name, account id, platform fee) for the current tenant: its connected Stripe
    account when it has one, else the configured default (the offline demo)."""
    from portalwerk.billing.merchants.models import MerchantAccount

    account = (
        MerchantAccount.objects.filter(tenant__schema_name=connection.schema_name, is_active=True)
        .order_by("connected_at")
        .first()
    )
    if account is not None:
        return account.provider, account.account_id, account.pk
    return settings.PORTALWERK_PAYMENT_DEFAULT_PROVIDER, "", 0


@transaction.atomic
def _open_payment(submission: Submission) -> Payment:
    """The submission's open payment, or a new one in status `created` (committed before the
    provider is called, so a retry finds it and reuses its idempotency key)."""
    from portalwerk.billing.merchants.models import MerchantAccount

    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if Payment.objects.filter(
        submission=locked, status__in=[S.PAID, S.PARTIALLY_REFUNDED]
    ).exists():
        raise _error(Code.ALREADY_PAID, _("This fee has been paid already."))
    if Payment.objects.filter(submission=locked, status=S.REFUNDED).exists():
        raise _error(Code.ALREADY_PAID, _("This fee has been paid and refunded."))
    payment = Payment.objects.filter(submission=locked, status__in=OPEN_STATUSES).first()
    if payment is not None:
        return payment
    provider, account_id, merchant_pk = _provider_for_tenant()
    if not provider:
        raise _error(
            Code.PROVIDER_UNAVAILABLE,
            _("This office does not take payments online yet. Please contact the office."),
        )
    fee = 0
    if merchant_pk:
        fee = MerchantAccount.objects.get(pk=merchant_pk).application_fee_for(locked.fee_cents)
    account = fee_account_for(locked)
    return Payment.objects.create(
        reference=next_payment_reference(),
        submission=locked,
        submission_reference=locked.reference,
        service=(locked.form.service_key or locked.form.title_text("de"))[:200],
        amount_cents=locked.fee_cents,
        application_fee_cents=fee,
        budget_line=account.budget_line if account else "",
        booking_text=_booking_text(account, locked),
        provider=provider,
        account_id=account_id,
    )


def start_payment(*, actor, submission: Submission, return_url: str) -> Payment:
    """Start (or resume) paying a submission's fee. Returns the payment, pending, with the
    provider's checkout URL. The caller got `submission` through the citizen access helper.
    Twice in a row, it returns the same checkout."""
    if submission.fee_cents <= 0:
        raise _error(Code.NO_FEE, _("There is nothing to pay for this application."))
    prepare_submission(actor=actor, submission=submission)
    payment = _open_payment(submission)
    if payment.status == S.PENDING and payment.checkout_url:
        # The checkout may have expired (or been paid) meanwhile, unseen: ask before reusing it.
        refresh_payment(actor=actor, payment=payment)
        payment.refresh_from_db()
        if payment.status == S.PENDING:
            return payment
        payment = _open_payment(submission)
    provider = get_provider(payment.provider)
    base_return = return_url.rstrip("/")
    try:
        checkout = provider.create_checkout(
            base.CheckoutRequest(
                payment_id=str(payment.pk),
                reference=payment.reference,
                amount_cents=payment.amount_cents,
                currency=payment.currency,
                description=payment.booking_text,
                success_url=f"{base_return}/?result=success",
                cancel_url=f"{base_return}/?result=cancel",
                idempotency_key=payment.idempotency_key("checkout"),
                account_id=payment.account_id,
                application_fee_cents=payment.application_fee_cents,
                customer_email=submission.email,
                metadata={"submission": submission.reference},
            )
        )
    except base.ProviderError as exc:
        log.warning("payment %s: checkout not started: %s", payment.pk, exc)
        raise _error(
            Code.PROVIDER_UNAVAILABLE,
            _("Paying online is not possible just now. Please try again in a few minutes."),
        ) from None
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status == S.CREATED:
            payment.provider_ref = checkout.provider_ref
            payment.checkout_url = checkout.url
            payment.save(update_fields=["provider_ref", "checkout_url", "updated_at"])
            _move(payment, S.PENDING, "start")
    return payment


# --- provider events (webhooks, the demo page) ----------------------------------------------


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
    state = get_provider(provider).fetch_state(payment.provider_ref, account_id=payment.account_id)
    changed = apply_remote_state(payment, state, source=f"event {event.event_id}"[:120])
    outcome = EventOutcome.APPLIED if changed else EventOutcome.UNCHANGED
    record.update(outcome=outcome, payment=payment)
    return EventResult(outcome, str(payment.pk))


def refresh_payment(*, actor, payment: Payment) -> bool:
    """Re-read a pending payment from its provider (the citizen came back from the checkout
    before the webhook did). Returns whether it changed."""
    if payment.status != S.PENDING or not payment.provider_ref:
        return False
    try:
        state = get_provider(payment.provider).fetch_state(
            payment.provider_ref, account_id=payment.account_id
        )
    except base.ProviderError as exc:
        log.warning("payment %s: could not re-read: %s", payment.pk, exc)
        return False
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        return apply_remote_state(locked, state, source="return")


# --- refunds (clerks) ------------------------------------------------------------------------


def audit(actor, action: str, payment: Payment | None, **detail) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=getattr(actor, "email", "") or str(actor),
        action=action,
        payment=payment,
        reference=payment.reference if payment else "",
        detail=detail,
    )


@transaction.atomic
def refund_payment(*, actor, payment_id, amount_cents: int | None, reason: str) -> Refund:
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
            _("Enter an amount between 0.01 and %(max)s EUR.")
            % {"max": f"{payment.refundable_cents / 100:.2f}"},
            "amount",
        )
    number = payment.refunds.count() + 1
    try:
        result = get_provider(payment.provider).refund(
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
        actor=actor,
    )
    payment.refunded_cents += amount
    payment.save(update_fields=["refunded_cents", "updated_at"])
    new = S.REFUNDED if payment.refunded_cents == payment.amount_cents else S.PARTIALLY_REFUNDED
    _move(payment, new, f"refund {number}")
    audit(actor, AuditAction.REFUNDED, payment, amount_cents=amount, reason=reason[:500])
    return refund


# --- reconciliation export (finance) ---------------------------------------------------------

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
def export_reconciliation(*, actor, date_from, date_to, fmt: str) -> tuple[str, str, bytes]:
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
    audit(
        actor,
        AuditAction.EXPORTED,
        None,
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
