"""The clerk's side of a submission: its status history, messages and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from portalwerk.platform.forms.models import Submission, Upload

from .saved_views import SavedView  # noqa: F401 (the inbox's saved views: its own module)


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
        return f"{self.old_label} → {self.new_label}"

    @property
    def old_label(self) -> str:
        return _status_label(self.old_status)

    @property
    def new_label(self) -> str:
        return _status_label(self.new_status)


def _status_label(value: str) -> str:
    from portalwerk.platform.forms.models import SubmissionStatus

    try:
        return str(SubmissionStatus(value).label)
    except ValueError:  # a status that no longer exists keeps its stored code
        return value


class Message(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_office = models.BooleanField()
    body = models.TextField()
    attachments = models.ManyToManyField(Upload, blank=True, related_name="messages")
    created_at = models.DateTimeField(auto_now_add=True)
    # A citizen's message is unread until staff open the submission (the inbox marks it).
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"message on {self.submission_id}"


class Note(models.Model):
    """An internal note of the office on a submission: for staff only, never for the citizen
    (no citizen page, API field or mail reads this model)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note on {self.submission_id}"
