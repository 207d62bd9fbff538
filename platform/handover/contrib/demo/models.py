"""The demo back office's own side, in the public schema: what a back-office system keeps of
the applications handed over to it and of the answers it sent back. One row per idempotency
key, however often the same parcel arrives."""

from __future__ import annotations

import uuid

from django.db import models


class DemoParcel(models.Model):
    idempotency_key = models.CharField(max_length=64, unique=True)
    tenant_schema = models.CharField(max_length=63)
    tenant_name = models.CharField(max_length=200)
    target_id = models.PositiveIntegerField()
    reference = models.CharField(max_length=40)
    form_slug = models.CharField(max_length=100)
    form_title = models.CharField(max_length=300)
    language = models.CharField(max_length=8)
    submitted_at = models.DateTimeField()
    applicant_name = models.CharField(max_length=300, blank=True)
    applicant_email = models.CharField(max_length=300, blank=True)
    #: [[label, text], ...] in the form's reading order
    answers = models.JSONField(default=list)
    fee_cents = models.PositiveIntegerField(default=0)
    payment_reference = models.CharField(max_length=40, blank=True)
    payment_status = models.CharField(max_length=10, blank=True)
    status_url = models.CharField(max_length=500)
    test = models.BooleanField(default=False)
    received_at = models.DateTimeField(auto_now_add=True)
    #: how often the parcel arrived (retries carry the same key and are stored once)
    times_received = models.PositiveIntegerField(default=1)
    last_received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return self.reference

    @property
    def case_number(self) -> str:
        return f"DEMO-{self.pk:06d}"


class DemoFile(models.Model):
    parcel = models.ForeignKey(DemoParcel, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    is_receipt = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_receipt", "pk"]

    def __str__(self) -> str:
        return self.name


class DemoAnswer(models.Model):
    """One answer the operator sent. Sending it again (after the portal could not be reached)
    repeats the same event id, so the portal applies it once."""

    parcel = models.ForeignKey(DemoParcel, on_delete=models.CASCADE, related_name="demo_answers")
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case_number = models.CharField(max_length=60)
    status = models.CharField(max_length=100, blank=True)  # in words, as sent
    message = models.TextField(blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    document_type = models.CharField(max_length=60, blank=True)
    document = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    #: what the portal's status endpoint said to the last attempt
    accepted = models.BooleanField(default=False)
    attempts = models.PositiveIntegerField(default=0)
    last_http_status = models.PositiveIntegerField(null=True, blank=True)
    last_detail = models.CharField(max_length=300, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return str(self.event_id)
