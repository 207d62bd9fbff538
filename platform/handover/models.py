import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.forms.models import Form, Submission


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Target(models.Model):
    """Somewhere a tenant's submissions go: one backend (plugin) with its settings. Targets
    are switched off, never deleted, so every delivery keeps saying where it went."""

    name = models.CharField(_("name"), max_length=120)
    backend = models.CharField(_("kind"), max_length=60)
    config = models.JSONField(default=dict)
    is_active = models.BooleanField(_("active"), default=True)
    all_forms = models.BooleanField(_("for every form"), default=False)
    forms = models.ManyToManyField(Form, blank=True, related_name="handover_targets")
    #: signs what the receiving system reports back (answers back) to this target's endpoint
    callback_secret = models.CharField(max_length=64, default=new_secret)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    HELD = "held", _("held until the fee is paid")
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    """One submission to one target. Written in the submit transaction (the outbox); sent by
    the `deliver` job, which claims it first so that a delivery is sent by one worker at a
    time; `key` is the idempotency key every attempt carries."""

    # no index of its own: one_delivery_per_target (submission, target) leads with it
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="deliveries")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    #: a backends.Problem value and its technical detail; empty once delivered
    last_problem = models.CharField(max_length=20, blank=True)
    last_detail = models.CharField(max_length=500, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    #: the job that claimed it while "sending" (a retried job keeps its id, so a job recovered
    #: after its worker was killed may take up its own claim again)
    claimed_by_job = models.BigIntegerField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    receiver_reference = models.CharField(max_length=200, blank=True)
    #: told by billing when it releases a held delivery (billing sits above this app)
    payment_reference = models.CharField(max_length=32, blank=True)
    payment_status = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "target"], name="one_delivery_per_target")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.submission_id} → {self.target_id}"


class ReportKind(models.TextChoices):
    CASE_NUMBER = "case_number", _("case number")
    STATUS = "status", _("status")
    MESSAGE = "message", _("message")


class Report(models.Model):
    """What a receiving system reported back about one delivery (answers back): its case
    number, a status in its own words, a message with perhaps a document. Written once per
    `event_id` (the sender's id of the report, unique per target), so a repeated or replayed
    callback changes nothing. Personal data: it goes with the submission."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="reports")
    # both follow from the delivery; kept here for the per-target uniqueness and the
    # citizen's pages, which list a submission's reports across its targets
    # no index of its own: one_report_per_event (target, event_id) leads with it
    target = models.ForeignKey(
        Target, on_delete=models.PROTECT, related_name="reports", db_index=False
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="handover_reports"
    )
    event_id = models.CharField(max_length=200)
    #: the most telling part of the report: a message, else a status, else a case number
    kind = models.CharField(max_length=12, choices=ReportKind.choices)
    case_number = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=200, blank=True)  # the label as sent
    message = models.TextField(blank=True)
    document_name = models.CharField(max_length=120, blank=True)
    document_kind = models.CharField(max_length=8, blank=True)  # pdf, png, jpeg (sniffed)
    document = models.BinaryField(blank=True, default=b"")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["target", "event_id"], name="one_report_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id}: {self.kind} {self.event_id}"
