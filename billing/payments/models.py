"""Payments of one tenant. Amounts are integer cents in EUR."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.forms.models import Form, Submission


class PaymentStatus(models.TextChoices):
    CREATED = "created", _("created")
    PENDING = "pending", _("payment pending")
    PAID = "paid", _("paid")
    FAILED = "failed", _("failed")
    EXPIRED = "expired", _("expired")
    PARTIALLY_REFUNDED = "partially_refunded", _("partially refunded")
    REFUNDED = "refunded", _("refunded")


S = PaymentStatus
# Status only moves forward. A partial refund may follow another (same status, more refunded).
TRANSITIONS: dict[str, frozenset[str]] = {
    # created → expired: never reached a provider that can still take it (superseded)
    S.CREATED: frozenset({S.PENDING, S.EXPIRED}),
    S.PENDING: frozenset({S.PAID, S.FAILED, S.EXPIRED}),
    S.PAID: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.PARTIALLY_REFUNDED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.FAILED: frozenset(),
    S.EXPIRED: frozenset(),
    S.REFUNDED: frozenset(),
}
OPEN_STATUSES = (S.CREATED, S.PENDING)
SETTLED_STATUSES = (S.PAID, S.PARTIALLY_REFUNDED, S.REFUNDED)


def can_move(old: str, new: str) -> bool:
    return new in TRANSITIONS.get(old, frozenset())


class HandOverPolicy(models.TextChoices):
    AFTER_PAYMENT = "after_payment", _("once the fee is paid")
    IMMEDIATELY = "immediately", _("immediately, marked “payment pending”")


class FeeAccount(models.Model):
    """Where a fee is booked in the municipal finance system, for one form or for every form of
    one catalogue service: the budget line (Haushaltsstelle) and the booking text. A form's own
    row wins over its service's row."""

    form = models.OneToOneField(
        Form,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="fee_account",
        verbose_name=_("form"),
    )
    service_key = models.SlugField(_("catalogue service"), max_length=80, blank=True)
    budget_line = models.CharField(_("budget line"), max_length=60, blank=True)
    booking_text = models.CharField(
        _("booking text"),
        max_length=140,
        blank=True,
        help_text=_("May contain {reference} (the application's) and {form}."),
    )
    hand_over = models.CharField(
        _("hand the application over"),
        max_length=16,
        choices=HandOverPolicy.choices,
        default=HandOverPolicy.AFTER_PAYMENT,
    )

    class Meta:
        verbose_name = _("fee account")
        verbose_name_plural = _("fee accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["service_key"],
                condition=models.Q(form__isnull=True) & ~models.Q(service_key=""),
                name="fee_account_one_per_service",
            ),
            models.CheckConstraint(
                condition=models.Q(form__isnull=False) | ~models.Q(service_key=""),
                name="fee_account_names_form_or_service",
            ),
        ]

    def __str__(self) -> str:
        return self.budget_line or self.service_key


class Payment(models.Model):
    """One attempt to pay the fee of a submission. A failed or expired attempt stays as it was;
    paying again makes a new payment with its own reference."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("payment reference"), max_length=32, unique=True)
    # A payment is a financial record and outlives its submission's retention period: the
    # submission may be purged (then this is null), its reference and service stay here.
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    )
    submission_reference = models.CharField(_("application reference"), max_length=32)
    service = models.CharField(_("service"), max_length=200, blank=True)
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="EUR")
    application_fee_cents = models.PositiveIntegerField(default=0)
    budget_line = models.CharField(_("budget line"), max_length=60, blank=True)
    booking_text = models.CharField(_("booking text"), max_length=140, blank=True)
    status = models.CharField(max_length=20, choices=PaymentStatus.choices, default=S.CREATED)
    provider = models.CharField(max_length=40)
    account_id = models.CharField(max_length=255, blank=True)
    provider_ref = models.CharField(max_length=255, blank=True)
    provider_payment_id = models.CharField(max_length=255, blank=True)
    checkout_url = models.URLField(max_length=2000, blank=True)
    method = models.CharField(max_length=30, blank=True)
    failure_reason = models.CharField(max_length=60, blank=True)
    refunded_cents = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    pending_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # failed or expired
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_ref"],
                condition=~models.Q(provider_ref=""),
                name="payment_provider_ref_unique",
            ),
            models.UniqueConstraint(
                fields=["submission"],
                # ORs, not IN: an IN list comes back from pg_get_indexdef in a form that
                # re-parses differently, and tenant schemas are cloned from that text.
                condition=models.Q(status="created") | models.Q(status="pending"),
                name="one_open_payment_per_submission",
            ),
            models.UniqueConstraint(
                fields=["submission"],
                condition=models.Q(status="paid")
                | models.Q(status="partially_refunded")
                | models.Q(status="refunded"),
                name="one_settled_payment_per_submission",
            ),
            models.CheckConstraint(
                condition=models.Q(refunded_cents__lte=models.F("amount_cents")),
                name="payment_refund_not_above_amount",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def refundable_cents(self) -> int:
        if self.status not in (S.PAID, S.PARTIALLY_REFUNDED):
            return 0
        return self.amount_cents - self.refunded_cents

    def idempotency_key(self, purpose: str) -> str:
        """Derived from this payment's identity, so a retried call is the same call."""
        from django.db import connection

        return f"portalwerk:{connection.schema_name}:payment:{self.pk}:{purpose}"[:255]


class StatusChange(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(max_length=20)
    new_status = models.CharField(max_length=20)
    source = models.CharField(max_length=120)  # "start", "event evt_…", "refund …"
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("payment status change")
        verbose_name_plural = _("payment status changes")

    def __str__(self) -> str:
        return f"{self.old_label} → {self.new_label}"

    @property
    def old_label(self) -> str:
        return status_label(self.old_status)

    @property
    def new_label(self) -> str:
        return status_label(self.new_status)

    @property
    def source_label(self) -> str:
        """What moved the payment, in words ("start", "event evt_…", "refund 2" are stored)."""
        kind, _sep, rest = self.source.partition(" ")
        if kind == "refund" and rest.isdigit():
            return _("refund no. %(number)s") % {"number": rest}
        if kind == "event":
            return _("notice from the payment provider")
        if self.source.startswith("superseded"):
            return _("replaced by a new payment")
        return str(SOURCE_LABELS.get(self.source, self.source))


SOURCE_LABELS = {
    "start": _("payment started"),
    "return": _("citizen came back from the payment page"),
}


def status_label(value: str) -> str:
    try:
        return str(PaymentStatus(value).label)
    except ValueError:  # a status that no longer exists keeps its stored code
        return value


class ProviderEventRecord(models.Model):
    """Each provider event is processed once: its id is stored here, unique, in the same
    transaction as what it changed."""

    provider = models.CharField(max_length=40)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=80)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    outcome = models.CharField(max_length=20, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="provider_event_unique")
        ]

    def __str__(self) -> str:
        return self.event_id


class Refund(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # no index of its own: refund_number_unique (payment, number) leads with it
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="refunds", db_index=False
    )
    number = models.PositiveIntegerField()  # 1, 2, … per payment: part of the idempotency key
    amount_cents = models.PositiveIntegerField()
    reason = models.CharField(_("reason"), max_length=500)
    provider_ref = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=20, default="succeeded")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "number"], name="refund_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} refund {self.number}"


class HandOver(models.Model):
    """When (and whether) a submission with a fee goes to the office. `held` until paid for
    forms that hand over after payment; handed over once, never twice."""

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="hand_over"
    )
    held = models.BooleanField(default=True)
    payment_pending = models.BooleanField(default=False)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    # Set while held and no provider can take the fee (billing.payments.availability): the
    # clerks then see the submission instead of it waiting for a payment nobody can make.
    blocked_since = models.DateTimeField(null=True, blank=True)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"hand-over of {self.submission_id}"


class FinanceAccess(models.Model):
    """Staff with the finance role: may export the reconciliation and refund."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="finance_access",
        verbose_name=_("staff member"),
    )
    granted_at = models.DateTimeField(_("granted on"), auto_now_add=True)

    class Meta:
        verbose_name = _("finance role")
        verbose_name_plural = _("finance roles")

    def __str__(self) -> str:
        return str(self.user)


class PaymentReferenceSequence(models.Model):
    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
