"""The clerk's side of a submission: its status history, messages and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from portalwerk.platform.forms.models import Submission, Upload


class StatusChange(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="status_changes"
    )
    old_status = models.CharField(max_length=12)
    new_status = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.old_status} → {self.new_status}"


class Message(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_office = models.BooleanField()
    body = models.TextField()
    attachments = models.ManyToManyField(Upload, blank=True, related_name="messages")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"message on {self.submission_id}"
