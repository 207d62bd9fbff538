"""What a tenant enters for BITV 2.0: its accessibility statement (one row), the known barriers
with their alternatives, videos in German Sign Language, and the feedback people send. Imported
by `portalwerk.platform.catalog.models`, so these are catalogue models in the tenant schema."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.library.translation import translated


class Conformance(models.TextChoices):
    FULL = "full", _("fully compliant")
    PARTIAL = "partial", _("partially compliant")
    NONE = "none", _("not compliant")


class AccessibilityStatement(models.Model):
    singleton = models.BooleanField(default=True, unique=True, editable=False)
    conformance = models.CharField(
        _("conformance status"),
        max_length=10,
        choices=Conformance.choices,
        default=Conformance.PARTIAL,
        help_text=_("How far the portal meets BITV 2.0 / WCAG 2.1 AA, after your last review."),
    )
    reviewed_on = models.DateField(_("date of the last review"), null=True, blank=True)
    review_method_de = models.CharField(
        _("how it was reviewed (German)"),
        max_length=300,
        blank=True,
        help_text=_("For example: self-assessment, or a BITV test by an outside auditor."),
    )
    review_method_en = models.CharField(
        _("how it was reviewed (English)"), max_length=300, blank=True
    )
    response_days = models.PositiveSmallIntegerField(
        _("answer within (days)"),
        default=14,
        help_text=_("The time within which you answer feedback; the statement promises it."),
    )
    contact_email = models.EmailField(
        _("feedback goes to"),
        blank=True,
        help_text=_("Feedback is mailed here; empty means the portal settings' feedback email."),
    )
    easy_content = models.TextField(
        _("Leichte Sprache: the portal's content"),
        blank=True,
        help_text=_("Empty means the text shipped with Portalwerk."),
    )
    easy_navigation = models.TextField(
        _("Leichte Sprache: finding your way"),
        blank=True,
        help_text=_("Empty means the text shipped with Portalwerk."),
    )
    easy_statement = models.TextField(
        _("Leichte Sprache: the accessibility statement"),
        blank=True,
        help_text=_("Empty means the text shipped with Portalwerk."),
    )
    updated_at = models.DateTimeField(_("changed on"), auto_now=True)

    review_method = translated("review_method")

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statement")

    def __str__(self) -> str:
        return str(_("Accessibility statement"))

    @classmethod
    def load(cls) -> AccessibilityStatement:
        return cls.objects.first() or cls()


class KnownBarrier(models.Model):
    statement = models.ForeignKey(
        AccessibilityStatement, on_delete=models.CASCADE, related_name="barriers"
    )
    description_de = models.TextField(_("barrier (German)"))
    description_en = models.TextField(_("barrier (English)"), blank=True)
    reason_de = models.TextField(_("reason (German)"), blank=True)
    reason_en = models.TextField(_("reason (English)"), blank=True)
    alternative_de = models.TextField(_("accessible alternative (German)"), blank=True)
    alternative_en = models.TextField(_("accessible alternative (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    description = translated("description")
    reason = translated("reason")
    alternative = translated("alternative")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("known barrier")
        verbose_name_plural = _("known barriers")

    def __str__(self) -> str:
        return self.description_de[:60]


class SignLanguageVideo(models.Model):
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    video_url = models.URLField(_("video address (MP4 or WebM)"))
    captions_url = models.URLField(
        _("captions address (WebVTT)"), help_text=_("Captions are required (WCAG 1.2.2).")
    )
    transcript_de = models.TextField(_("transcript (German)"))
    transcript_en = models.TextField(_("transcript (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    title = translated("title")
    transcript = translated("transcript")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("sign language video")
        verbose_name_plural = _("sign language videos")

    def __str__(self) -> str:
        return self.title_de


class AccessibilityFeedback(models.Model):
    """A barrier someone reported through the statement's form; the tenant's staff see it in
    the back office and get it by mail. Deleted by staff once answered."""

    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    page = models.CharField(_("page concerned"), max_length=500, blank=True)
    message = models.TextField(_("message"))
    answer_by = models.DateField(_("answer by"))
    answered = models.BooleanField(_("answered"), default=False)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")

    def __str__(self) -> str:
        return f"{self.received_at:%d.%m.%Y} {self.message[:40]}"

    @staticmethod
    def due(received: datetime.date, days: int) -> datetime.date:
        return received + datetime.timedelta(days=days)
