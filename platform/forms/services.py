"""Writes on forms: building and publishing definitions, drafts, uploads, submitting.

Every function takes the acting user explicitly (`actor`; an AnonymousUser for a citizen who is not
signed in), runs in one transaction and raises ValidationError with a `FormErrorCode`."""

from __future__ import annotations

import copy
import hashlib
import re
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portalwerk.platform.forms import uploads as upload_store
from portalwerk.platform.forms.engine import DefinitionError, FieldError, UploadInfo
from portalwerk.platform.forms.errors import FormErrorCode as Code
from portalwerk.platform.forms.models import (
    Draft,
    Form,
    FormVersion,
    ReferenceSequence,
    Submission,
    Upload,
    VersionStatus,
)

# --- helpers ------------------------------------------------------------------------------


def field_errors(errors: list[FieldError]) -> ValidationError:
    """Engine errors as one ValidationError keyed by field path (\"\" for the whole form)."""
    by_path: dict[str, list[ValidationError]] = {}
    for e in errors:
        by_path.setdefault(e.path or "__all__", []).append(ValidationError(e.message, code=e.code))
    return ValidationError(by_path)


def _error(code: str, message: str, field: str = "__all__") -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def _require_clerk(actor, *, write: bool = True) -> None:
    from portalwerk.platform.accounts.models import Role

    allowed = (
        {Role.CLERK_PROCESSOR, Role.TENANT_ADMIN}
        if write
        else {
            Role.CLERK_PROCESSOR,
            Role.TENANT_ADMIN,
            Role.CLERK_READER,
        }
    )
    if not (actor is not None and getattr(actor, "is_active", False) and actor.role in allowed):
        raise _error(Code.PERMISSION_DENIED, _("You may not do this."))


def _signed_in_user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def check_definition(definition: Any) -> None:
    from portalwerk.platform.forms.engine import FormSpec

    try:
        FormSpec.from_definition(definition)
    except DefinitionError as exc:
        raise ValidationError(
            {
                "definition": [
                    ValidationError(problem, code=Code.INVALID_DEFINITION)
                    for problem in exc.problems
                ]
            }
        ) from None


# --- building forms (clerks) ------------------------------------------------------------


@transaction.atomic
def create_form(
    *,
    actor,
    slug: str,
    title: Mapping,
    definition: Mapping,
    service_key: str = "",
    description: Mapping | None = None,
    retention_days: int = 365,
) -> Form:
    _require_clerk(actor)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", slug or ""):
        raise _error(Code.INVALID_TYPE, _("Use lower case letters, digits and -."), "slug")
    if Form.objects.filter(slug=slug).exists():
        raise _error(Code.INVALID_TYPE, _("A form with this address exists already."), "slug")
    check_definition(definition)
    form = Form.objects.create(
        slug=slug,
        title=dict(title),
        description=dict(description or {}),
        service_key=service_key,
        retention_days=retention_days,
    )
    FormVersion.objects.create(
        form=form, number=1, definition=copy.deepcopy(dict(definition)), created_by=actor
    )
    return form


@transaction.atomic
def save_version_definition(*, actor, version: FormVersion, definition: Mapping) -> FormVersion:
    _require_clerk(actor)
    version = FormVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise _error(
            Code.NOT_A_DRAFT_VERSION,
            _("A published version cannot change. Make a new draft version."),
            "definition",
        )
    check_definition(definition)
    version.definition = copy.deepcopy(dict(definition))
    version.save(update_fields=["definition"])
    return version


@transaction.atomic
def new_draft_version(*, actor, form: Form) -> FormVersion:
    """A new draft version, copied from the newest one. An open draft version is reused."""
    _require_clerk(actor)
    form = Form.objects.select_for_update().get(pk=form.pk)
    existing = form.versions.filter(status=VersionStatus.DRAFT).first()
    if existing:
        return existing
    latest = form.versions.order_by("-number").first()
    return FormVersion.objects.create(
        form=form,
        number=(latest.number + 1) if latest else 1,
        definition=copy.deepcopy(latest.definition) if latest else {"steps": []},
        created_by=actor,
    )


@transaction.atomic
def publish_version(*, actor, version: FormVersion) -> FormVersion:
    """Publish a draft version. The previous one becomes `superseded`: drafts that citizens
    started with it may still be submitted, new drafts use this one."""
    _require_clerk(actor)
    Form.objects.select_for_update().get(pk=version.form_id)
    version = FormVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise _error(Code.NOT_A_DRAFT_VERSION, _("Only a draft version can be published."))
    check_definition(version.definition)
    FormVersion.objects.filter(form_id=version.form_id, status=VersionStatus.PUBLISHED).update(
        status=VersionStatus.SUPERSEDED
    )
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    return version


@transaction.atomic
def withdraw_form(*, actor, form: Form) -> Form:
    """Take a form offline: no new drafts, and drafts in progress can no longer be submitted."""
    _require_clerk(actor)
    form = Form.objects.select_for_update().get(pk=form.pk)
    form.versions.filter(status__in=[VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED]).update(
        status=VersionStatus.WITHDRAWN
    )
    form.is_active = False
    form.save(update_fields=["is_active"])
    return form


@transaction.atomic
def adopt_template(*, actor, key: str, slug: str | None = None, publish: bool = False) -> Form:
    """Copy a library template into this tenant's forms (a copy the tenant may adapt)."""
    from portalwerk.platform.formlibrary.models import FormTemplate

    _require_clerk(actor)
    template = FormTemplate.objects.filter(key=key).first()
    if template is None:
        raise _error(Code.NOT_FOUND, _("This template was not found."))
    form = create_form(
        actor=actor,
        slug=slug or template.key,
        title=template.title,
        description=template.description,
        definition=template.definition,
        service_key=template.service_key,
        retention_days=template.retention_days,
    )
    form.template_key = template.key
    form.template_version = template.version
    form.save(update_fields=["template_key", "template_version"])
    if publish:
        publish_version(actor=actor, version=form.versions.get())
    return form


@transaction.atomic
def update_from_template(*, actor, form: Form) -> FormVersion:
    """A new draft version with the library's current definition (the clerk reviews and
    publishes it; submissions in progress keep their version)."""
    from portalwerk.platform.formlibrary.models import FormTemplate

    _require_clerk(actor)
    template = FormTemplate.objects.filter(key=form.template_key).first()
    if template is None:
        raise _error(Code.NOT_FOUND, _("This template was not found."))
    version = new_draft_version(actor=actor, form=form)
    save_version_definition(actor=actor, version=version, definition=template.definition)
    Form.objects.filter(pk=form.pk).update(template_version=template.version)
    return version


def template_update_available(form: Form) -> bool:
    """True when the library has a newer version of the template this form was copied from."""
    from portalwerk.platform.formlibrary.models import FormTemplate

    if not form.template_key:
        return False
    template = FormTemplate.objects.filter(key=form.template_key).first()
    return template is not None and template.version > (form.template_version or 0)


# --- drafts (citizens) ------------------------------------------------------------------


def _ensure_open(version: FormVersion) -> None:
    if not version.accepts_submissions:
        raise _error(
            Code.VERSION_NOT_AVAILABLE,
            _(
                "This form has been taken offline by the office, so it cannot be completed. "
                "Nothing was saved."
            ),
        )


@transaction.atomic
def start_draft(*, actor, form: Form) -> Draft:
    version = form.versions.filter(status=VersionStatus.PUBLISHED).first()
    if version is None or not form.is_active:
        raise _error(Code.FORM_NOT_AVAILABLE, _("This form is not available."))
    return Draft.objects.create(
        version=version,
        user=_signed_in_user(actor),
        expires_at=timezone.now() + timedelta(days=form.draft_days),
    )


def step_is_available(draft: Draft, step_key: str) -> bool:
    """A step can be answered once every active step before it has been answered."""
    spec = draft.version.spec
    done = set(draft.completed_steps)
    for step in spec.active_steps(draft.answers):
        if step.key == step_key:
            return True
        if step.key not in done:
            return False
    return False


def upload_lookup(draft: Draft):
    def lookup(ids: list[str]) -> Mapping[str, UploadInfo]:
        valid = [i for i in ids if _is_uuid(i)]
        rows = Upload.objects.filter(pk__in=valid, draft=draft)
        return {str(u.pk): UploadInfo(str(u.pk), u.name, u.kind, u.size) for u in rows}

    return lookup


def _is_uuid(value: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-fA-F-]{32,36}", value or ""))


@transaction.atomic
def save_step(
    *, actor, draft: Draft, step_key: str, raw: Mapping[str, Any], strict: bool = True
) -> Draft:
    """Validate one step and keep its answers. Answers of steps a changed answer now skips are
    dropped when submitting (the engine cleans all answers again then)."""
    draft = Draft.objects.select_for_update().select_related("version__form").get(pk=draft.pk)
    _ensure_open(draft.version)
    spec = draft.version.spec
    if spec.step(step_key) is None or spec.step(step_key).is_skipped(draft.answers):
        raise _error(Code.STEP_NOT_AVAILABLE, _("This step does not exist in this form."))
    if not step_is_available(draft, step_key):
        raise _error(Code.STEP_OUT_OF_ORDER, _("Answer the earlier questions first."))
    values, errors = spec.clean_step(step_key, raw, draft.answers, upload_lookup(draft), strict)
    if errors:
        raise field_errors(errors)
    step = spec.step(step_key)
    answers = {k: v for k, v in draft.answers.items() if k not in {f.key for f in step.fields}}
    answers.update(values)
    draft.answers = answers
    if step_key not in draft.completed_steps:
        draft.completed_steps = [*draft.completed_steps, step_key]
    draft.expires_at = timezone.now() + timedelta(days=draft.version.form.draft_days)
    draft.save(update_fields=["answers", "completed_steps", "expires_at", "updated_at"])
    return draft


@transaction.atomic
def store_upload(*, actor, draft: Draft, field_key: str, file) -> Upload:
    """Keep an uploaded file for a draft's file field: size and type checked, type sniffed from
    the content, stored under a random name, scanned by clamd when configured."""
    draft = Draft.objects.select_related("version__form").get(pk=draft.pk)
    _ensure_open(draft.version)
    field = _file_field(draft.version.spec, field_key)
    if field is None:
        raise _error(Code.UNKNOWN_FIELD, _("This is not a question here."), field_key)
    return _store(actor=actor, file=file, field=field, field_key=field_key, draft=draft)


def _file_field(spec, field_key: str):
    parts = field_key.split(".")
    field = spec.fields_by_key.get(parts[0])
    if field is not None and field.type == "repeat" and len(parts) == 3 and parts[1].isdigit():
        field = next((c for c in field.children if c.key == parts[2]), None)
    elif len(parts) != 1:
        return None
    return field if field is not None and field.type == "file" else None


def _store(*, actor, file, field=None, field_key: str = "", draft=None, submission=None) -> Upload:
    from portalwerk.platform.forms.engine import file_size_message, file_type_message

    label = field.label_text() if field is not None else _("Attachment")
    limit = settings.PORTALWERK_UPLOAD_MAX_BYTES
    allowed = {"pdf", "png", "jpeg"}
    if field is not None:
        limit = min(limit, field.validation.get("max_size") or limit)
        allowed = set(field.validation.get("file_types") or allowed)
    where = field_key or "file"
    if file.size > limit:
        raise _error(Code.FILE_TOO_LARGE, file_size_message(label, limit), where)
    file.seek(0)
    kind = upload_store.sniff(file.read(16))
    if kind is None or kind not in allowed:
        raise _error(Code.FILE_TYPE, file_type_message(label, allowed), where)
    file.seek(0)
    sha = upload_store.digest(file.chunks())
    scan = "not_scanned"
    if upload_store.clamd_configured():
        file.seek(0)
        try:
            clean = upload_store.scan_with_clamd(file.chunks())
        except upload_store.ScanFailed:
            raise _error(
                Code.SCAN_UNAVAILABLE,
                _("The file could not be checked for viruses just now. Try again later."),
                where,
            ) from None
        if not clean:
            raise _error(Code.FILE_INFECTED, _("The file contains a virus."), where)
        scan = "clean"
    file.seek(0)
    stored_name = upload_store.new_stored_name()
    upload_store.storage().save(stored_name, file)
    upload = Upload.objects.create(
        draft=draft,
        submission=submission,
        field_key=field_key,
        name=upload_store.safe_name(getattr(file, "name", ""), kind),
        stored_name=stored_name,
        kind=kind,
        size=file.size,
        sha256=sha,
        scan_status=scan,
        uploaded_by=_signed_in_user(actor),
    )
    return upload


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def send_resume_link(*, actor, draft: Draft, email: str, base_url: str) -> str:
    """Email a link that resumes the draft in any browser. Returns the token (for tests)."""
    from django.core.validators import validate_email

    from portalwerk.platform.forms import tasks
    from portalwerk.platform.jobs import defer_for_tenant

    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise _error(
            Code.INVALID_EMAIL,
            _("Enter an email address in the right format, like name@example.com."),
            "email",
        ) from None
    token = secrets.token_urlsafe(32)
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    draft.resume_token_hash = _token_hash(token)
    draft.resume_expires_at = timezone.now() + timedelta(
        hours=settings.PORTALWERK_RESUME_LINK_HOURS
    )
    draft.save(update_fields=["resume_token_hash", "resume_expires_at", "updated_at"])
    defer_for_tenant(
        tasks.send_resume_mail,
        email=email,
        url=f"{base_url.rstrip('/')}/forms/resume/{token}/",
        hours=settings.PORTALWERK_RESUME_LINK_HOURS,
        language=(get_language() or "de")[:2],
    )
    return token


@transaction.atomic
def resume_draft(*, actor, token: str) -> Draft:
    """The draft a resume link points at. The link works once; it expires."""
    if not token or len(token) > 100:
        raise _error(Code.RESUME_LINK_INVALID, _("This link is not valid or has expired."))
    now = timezone.now()
    draft = (
        Draft.objects.select_for_update()
        .filter(resume_token_hash=_token_hash(token), resume_expires_at__gt=now, expires_at__gt=now)
        .first()
    )
    if draft is None:
        raise _error(Code.RESUME_LINK_INVALID, _("This link is not valid or has expired."))
    draft.resume_token_hash = ""
    draft.resume_expires_at = None
    user = _signed_in_user(actor)
    if draft.user_id is None and user is not None:
        draft.user = user
    draft.save(update_fields=["resume_token_hash", "resume_expires_at", "user", "updated_at"])
    return draft


# --- submitting -------------------------------------------------------------------------


def reference_prefix(schema_name: str | None = None) -> str:
    """Three letters for the tenant: its first letter and the next two consonants
    (musterstadt → MST, beispielheim → BSP)."""
    schema_name = schema_name or connection.schema_name
    slug = getattr(getattr(connection, "tenant", None), "slug", None)
    if not slug:  # a job or a schema_context: only the schema name is known
        from portalwerk.tenants.models import Tenant

        slug = (
            Tenant.objects.filter(schema_name=schema_name).values_list("slug", flat=True).first()
            or schema_name
        )
    letters = re.sub(r"[^a-z]", "", slug.lower()) or "x"
    consonants = [c for c in letters[1:] if c not in "aeiou"]
    prefix = (letters[0] + "".join(consonants[:2])).upper()
    return prefix.ljust(3, "X")


def next_reference() -> str:
    year = timezone.localdate().year
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ReferenceSequence._meta.db_table} (year, last) VALUES (%s, 1) "
            "ON CONFLICT (year) DO UPDATE SET last = "
            f"{ReferenceSequence._meta.db_table}.last + 1 RETURNING last",
            [year],
        )
        number = cursor.fetchone()[0]
    return f"{reference_prefix()}-{year}-{number:06d}"


def _applicant(spec, answers: Mapping, user) -> tuple[str, str]:
    """Name and email of the applicant for search and mail: from the first fields of those
    kinds, else from the account."""
    name_parts, email = [], ""
    for key, field in spec.fields_by_key.items():
        value = answers.get(key)
        if not value:
            continue
        if field.type == "email" and not email:
            email = value
        elif field.type == "text" and any(
            word in key for word in ("name", "first_name", "last_name", "surname")
        ):
            name_parts.append(str(value))
    if user is not None:
        email = email or user.email
        if not name_parts and user.full_name:
            name_parts = [user.full_name]
    return " ".join(name_parts)[:200], email


def submit_draft(*, actor, draft: Draft, idempotency_key: str = "") -> Submission:
    """Submit a draft, exactly once: a double click or a retried request (same draft, or same
    idempotency key) returns the one submission that was made."""
    try:
        return _submit(actor=actor, draft=draft, idempotency_key=idempotency_key)
    except IntegrityError:
        # A concurrent request with the same key committed first: answer with its result.
        existing = Submission.objects.filter(draft_id=draft.pk).first() or (
            Submission.objects.filter(idempotency_key=idempotency_key or None).first()
        )
        if existing is None:
            raise
        return existing


@transaction.atomic
def _submit(*, actor, draft: Draft, idempotency_key: str) -> Submission:
    from portalwerk.platform.forms import tasks
    from portalwerk.platform.jobs import defer_for_tenant

    key = (idempotency_key or "").strip()[:255] or None
    if key is not None:
        earlier = Submission.objects.filter(idempotency_key=key).first()
        if earlier is not None:
            if earlier.draft_id != draft.pk:
                raise _error(
                    Code.IDEMPOTENCY_KEY_REUSED,
                    _("This request was already used for another submission."),
                )
            return earlier
    locked = (
        Draft.objects.select_for_update()
        .select_related("version__form")
        .filter(pk=draft.pk)
        .first()
    )
    if locked is None:  # submitted (and removed) by a request that held the lock before us
        existing = Submission.objects.filter(draft_id=draft.pk).first()
        if existing is not None:
            return existing
        raise _error(Code.NOT_FOUND, _("This was not found."))
    draft = locked
    version = draft.version
    _ensure_open(version)
    spec = version.spec
    lookup = upload_lookup(draft)
    answers, errors = spec.clean_all(draft.answers, lookup)
    missing = [s for s in spec.active_steps(answers) if s.key not in draft.completed_steps]
    if missing:
        raise _error(Code.INCOMPLETE, _("Answer all questions before you submit."))
    if errors:
        raise field_errors(errors)
    user = draft.user
    name, email = _applicant(spec, answers, user)
    submission = Submission.objects.create(
        reference=next_reference(),
        form=version.form,
        version=version,
        user=user,
        draft_id=draft.pk,
        idempotency_key=key,
        answers=answers,
        applicant_name=name,
        email=email,
        language=(get_language() or "de")[:2],
        fee_cents=spec.fee_cents(answers),
        submitted_at=timezone.now(),
    )
    kept = spec.upload_ids(answers)
    Upload.objects.filter(draft=draft, pk__in=kept).update(submission=submission, draft=None)
    stale = list(Upload.objects.filter(draft=draft))  # replaced files nobody refers to
    Upload.objects.filter(pk__in=[u.pk for u in stale]).delete()
    store = upload_store.storage()
    transaction.on_commit(lambda: [store.delete(u.stored_name) for u in stale])
    draft.delete()
    if submission.email:
        defer_for_tenant(tasks.send_submission_receipt, submission_id=submission.pk)
    return submission
