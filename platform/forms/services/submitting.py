"""Submitting a draft, exactly once: answers cleaned again, a reference numbered, files handed
over to the submission, the receipt mailed."""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Mapping

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portalwerk.platform.accounts.identity.assurance import SignedInWith
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.forms import throttle
from portalwerk.platform.forms import uploads as upload_store
from portalwerk.platform.forms.errors import FormErrorCode as Code
from portalwerk.platform.forms.models import Draft, ReferenceSequence, Submission, Upload
from portalwerk.platform.forms.services.checks import _ensure_open, _error, field_errors
from portalwerk.platform.forms.services.drafts import upload_lookup
from portalwerk.platform.forms.services.signing_in import check_sign_in, identity_record
from portalwerk.tenants.models import Module
from portalwerk.tenants.modules import require_module


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


# the keys of questions that name the person (the library's, and what the builder makes of the
# German labels); a key merely containing "name" ("dog_name", "name_des_hundes") does not
PERSON_NAME_KEYS = frozenset(
    {
        "name",
        "full_name",
        "first_name",
        "given_name",
        "last_name",
        "family_name",
        "surname",
        "vorname",
        "nachname",
        "familienname",
        "vor_und_nachname",
    }
)


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
        elif field.type == "text" and key in PERSON_NAME_KEYS:
            name_parts.append(str(value))
    if user is not None:
        email = email or user.email
        if not name_parts and user.full_name:
            name_parts = [user.full_name]
    return " ".join(name_parts)[:200], email


def submit_draft(
    *,
    actor: Actor,
    draft: Draft,
    idempotency_key: str = "",
    client_ip: str | None = None,
    signed_in_with: SignedInWith | None = None,
) -> Submission:
    """Submit a draft, exactly once: a double click or a retried request (same draft, or same
    idempotency key) returns the one submission that was made. `client_ip` is counted against
    the submit limit first (None counts nothing). What follows a submit
    (PORTALWERK_AFTER_SUBMIT: the hand-over held for a fee) runs in the same transaction, so
    every channel writes the same rows. `signed_in_with` (the session's `assurance.current`)
    must meet the form's sign-in requirement now, whatever the draft was started with; the
    submission records it (`Submission.identity`)."""
    require_module(Module.FORMS)
    throttle.check("submit", client_ip)
    draft.version.spec.warm_sources()  # before the transaction: a slow source must not hold it
    try:
        return _submit(
            actor=actor,
            draft=draft,
            idempotency_key=idempotency_key,
            client_ip=client_ip,
            signed_in_with=signed_in_with,
        )
    except IntegrityError:
        # A concurrent request with the same key committed first: answer with its result.
        existing = Submission.objects.filter(draft_id=draft.pk).first() or (
            Submission.objects.filter(idempotency_key=idempotency_key or None).first()
        )
        if existing is None:
            raise
        return existing


@transaction.atomic
def _submit(
    *,
    actor: Actor,
    draft: Draft,
    idempotency_key: str,
    client_ip: str | None = None,
    signed_in_with: SignedInWith | None = None,
) -> Submission:
    from portalwerk.platform.forms import tasks
    from portalwerk.platform.forms.receipts import store_receipt
    from portalwerk.platform.jobs import defer_for_tenant
    from portalwerk.tenants.current import current_tenant

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
    check_sign_in(spec, signed_in_with)
    lookup = upload_lookup(draft)
    answers, errors = spec.clean_all(draft.answers, lookup)
    missing = [s for s in spec.active_steps(answers) if s.key not in draft.completed_steps]
    if missing:
        raise _error(Code.INCOMPLETE, _("Answer all questions before you submit."))
    if errors:
        raise field_errors(errors)
    user = draft.user
    name, email = _applicant(spec, answers, user)
    now = timezone.now()
    days = version.form.processing_days
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
        submitted_at=now,
        due_at=now + datetime.timedelta(days=days) if days else None,
        identity=identity_record(spec, answers, signed_in_with),
    )
    kept = spec.upload_ids(answers)
    Upload.objects.filter(draft=draft, pk__in=kept).update(submission=submission, draft=None)
    stale = list(Upload.objects.filter(draft=draft))  # replaced files nobody refers to
    Upload.objects.filter(pk__in=[u.pk for u in stale]).delete()
    store = upload_store.storage()
    transaction.on_commit(lambda: [store.delete(u.stored_name) for u in stale])
    draft.delete()
    # the receipt is made once, here: the mailed and the downloaded copy are the same file
    store_receipt(submission, tenant_name=current_tenant().name)
    if submission.email and _receipt_within_mail_limits(submission.email, client_ip):
        defer_for_tenant(tasks.send_submission_receipt, submission_id=submission.pk)
    for follow_up in settings.PORTALWERK_AFTER_SUBMIT:
        import_string(follow_up)(actor=actor, submission=submission)
    return submission


def _receipt_within_mail_limits(email: str, client_ip: str | None) -> bool:
    """Whether the receipt mail is within the mail limits of its address and the client
    (`mail.limits`): a form anyone can submit must not mail a stranger's address without end.
    Past them the submission still counts and its receipt is on the confirmation page and
    under "my applications"; only the mail is left out. No client address (a job, the CLI):
    nothing is counted."""
    from portalwerk.platform.mail import limits as mail_limits

    if client_ip is None:
        return True
    return mail_limits.limited(to=email, ip=client_ip) is None


def earlier_submission(
    *, actor: Actor, draft_id, owned_submissions: Collection[str] = ()
) -> Submission:
    """The submission already made from `draft_id`, when the caller may see it: the answer to
    a retried submit after the draft became a submission (a double click, the back button, a
    client that retries with a fresh key). Raises the uniform not-found error otherwise."""
    from portalwerk.platform.forms import access

    require_module(Module.FORMS)
    if access._uuid(draft_id) is None:
        raise access.not_found()
    made = Submission.objects.filter(draft_id=draft_id).only("reference").first()
    if made is None:
        raise access.not_found()
    return access.get_submission_for(actor, made.reference, owned_submissions)
