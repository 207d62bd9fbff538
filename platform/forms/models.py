"""Forms of one tenant: definitions and their versions, drafts, uploads and submissions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.forms.engine.form import FormSpec
from portalwerk.platform.forms.engine.specs import localize

_SPECS: dict[tuple[str, int, int], FormSpec] = {}


class RetentionAction(models.TextChoices):
    DELETE = "delete", _("delete")
    ANONYMISE = "anonymise", _("anonymise")


class Form(models.Model):
    """A form assistant. Its content lives in versions; `service_key` links it to the catalogue
    service it belongs to (a loose reference: the catalogue is its own app)."""

    slug = models.SlugField(_("address name"), max_length=80, unique=True)
    title = models.JSONField(_("title"), help_text=_('{"de": "…", "en": "…"}'))
    description = models.JSONField(_("description"), default=dict, blank=True)
    service_key = models.SlugField(_("catalogue service"), max_length=80, blank=True)
    retention_days = models.PositiveIntegerField(_("keep submissions for (days)"), default=365)
    retention_action = models.CharField(
        _("after that"),
        max_length=12,
        choices=RetentionAction.choices,
        default=RetentionAction.DELETE,
    )
    draft_days = models.PositiveIntegerField(_("keep drafts for (days)"), default=30)
    # the office's processing deadline; a submission is overdue once `due_at` has passed
    processing_days = models.PositiveIntegerField(
        _("processing deadline (days)"), null=True, blank=True
    )
    template_key = models.SlugField(_("template"), max_length=80, blank=True)
    template_version = models.PositiveIntegerField(_("template version"), null=True, blank=True)
    is_active = models.BooleanField(_("open for submissions"), default=True)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("form")
        verbose_name_plural = _("forms")

    def __str__(self) -> str:
        return localize(self.title)

    def title_text(self, lang: str | None = None) -> str:
        return localize(self.title, lang)

    def description_text(self, lang: str | None = None) -> str:
        return localize(self.description, lang) if self.description else ""

    @property
    def published_version(self) -> FormVersion | None:
        return self.versions.filter(status=VersionStatus.PUBLISHED).first()


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    SUPERSEDED = "superseded", _("superseded")  # a newer one is published; drafts may finish
    WITHDRAWN = "withdrawn", _("withdrawn")  # taken back: nothing can be submitted with it


class FormVersion(models.Model):
    """One version of a form's definition. Immutable once published (see `services`)."""

    # no index of its own: form_version_number_unique (form, number) leads with it
    form = models.ForeignKey(
        Form,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("form"),
        db_index=False,
    )
    number = models.PositiveIntegerField(_("number"))
    definition = models.JSONField(_("definition"))
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    class Meta:
        ordering = ["form", "-number"]
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="form_version_number_unique"),
            models.UniqueConstraint(
                fields=["form"],
                condition=models.Q(status="published"),
                name="one_published_version_per_form",
            ),
        ]

    def __str__(self) -> str:
        return _("%(form)s, version %(number)s (%(status)s)") % {
            "form": self.form.title_text(),
            "number": self.number,
            "status": self.get_status_display(),
        }

    @property
    def spec(self) -> FormSpec:
        """The compiled definition. Published versions never change, so they are compiled once
        per process; drafts are compiled each time they are read."""
        from django.db import connection

        if self.status == VersionStatus.DRAFT or self.pk is None:
            return FormSpec.from_definition(self.definition)
        key = (connection.schema_name, self.pk, self.number)
        spec = _SPECS.get(key)
        if spec is None:
            spec = _SPECS[key] = FormSpec.from_definition(self.definition)
        return spec

    @property
    def accepts_submissions(self) -> bool:
        return self.status in (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED) and (
            self.form.is_active
        )


class Draft(models.Model):
    """Answers in progress. Belongs to a signed-in citizen, or to the browser session that
    started it (its id is kept in the session); resumable by an emailed link."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="drafts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="form_drafts",
    )
    answers = models.JSONField(default=dict)
    completed_steps = models.JSONField(default=list)
    resume_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    resume_expires_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"draft {self.pk}"


class ScanStatus(models.TextChoices):
    NOT_SCANNED = "not_scanned", _("not scanned")
    CLEAN = "clean", _("clean")


class Upload(models.Model):
    """A file a citizen or clerk uploaded. Stored under a random name, outside any public URL;
    served only through a view that checks who asks."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    draft = models.ForeignKey(
        Draft, null=True, blank=True, on_delete=models.SET_NULL, related_name="uploads"
    )
    submission = models.ForeignKey(
        "Submission", null=True, blank=True, on_delete=models.CASCADE, related_name="uploads"
    )
    field_key = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=120)  # cleaned original name, for display only
    stored_name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10)  # sniffed from the content: pdf, png, jpeg
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    scan_status = models.CharField(
        max_length=12, choices=ScanStatus.choices, default=ScanStatus.NOT_SCANNED
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def content_type(self) -> str:
        return {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}[self.kind]


class SubmissionStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING = "waiting", _("waiting for citizen")
    COMPLETED = "completed", _("completed")
    REJECTED = "rejected", _("rejected")


class Submission(models.Model):
    """A submitted form. Points at the version it was made with, forever."""

    reference = models.CharField(max_length=32, unique=True)
    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="submissions")
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="submissions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="form_submissions",
    )
    draft_id = models.UUIDField(unique=True, null=True, blank=True)
    idempotency_key = models.CharField(max_length=255, unique=True, null=True, blank=True)
    answers = models.JSONField(default=dict)
    applicant_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=8, default="de")
    fee_cents = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.RECEIVED
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_submissions",
    )
    submitted_at = models.DateTimeField(db_index=True)
    # submitted_at plus the form's processing deadline at the time (none: no deadline); stored so
    # that "overdue" is an indexed comparison, and a later change of the deadline keeps old ones
    due_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    # how the applicant had signed in (accounts.identity.assurance.SignedInWith.snapshot), and
    # which answers came unchanged from a state account's verified attributes ("verified")
    identity = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["status", "due_at"], name="forms_submission_due"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def identity_shown(self):
        """`identity` in words for the clerk (`forms.identity.shown`)."""
        from portalwerk.platform.forms.identity import shown

        return shown(self.identity)


class ReferenceSequence(models.Model):
    """The last reference number handed out per year (one row per year, bumped atomically)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class PurgeRecord(models.Model):
    """What the retention job did: which form, how many, how, when. No personal data."""

    form = models.ForeignKey(
        Form, on_delete=models.CASCADE, related_name="purges", verbose_name=_("form")
    )
    action = models.CharField(_("action"), max_length=12, choices=RetentionAction.choices)
    count = models.PositiveIntegerField(_("submissions"))
    files = models.PositiveIntegerField(_("files"), default=0)
    references = models.JSONField(_("reference numbers"), default=list)
    ran_at = models.DateTimeField(_("ran on"), auto_now_add=True)

    class Meta:
        ordering = ["-ran_at"]
        verbose_name = _("purge record")
        verbose_name_plural = _("purge records")

    def __str__(self) -> str:
        return f"{self.form_id} {self.action} {self.count}"


class Receipt(models.Model):
    """The PDF receipt of a submission, made once when it was submitted and kept: the copy in
    the confirmation mail and every downloaded copy are these bytes, and `sha256` (shown on
    the confirmation page and in the mail) lets the citizen and the office tell that a copy is
    the original. Personal data: it goes when the submission is deleted or anonymised."""

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="receipt")
    language = models.CharField(max_length=8)
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"receipt of {self.submission_id}"


class SubmissionLink(models.Model):
    """An access link mailed to a submission's applicant: opens its status and messages without
    an account. Only a hash of the token is kept, so the table (a backup, a log of queries) gives
    no way in; a link stops working when it expires or is revoked, and goes with its
    submission."""

    # no index of its own: the index on (submission, expires_at) leads with it
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="links", db_index=False
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["submission", "expires_at"])]

    def __str__(self) -> str:
        return f"link {self.pk} of {self.submission_id}"
