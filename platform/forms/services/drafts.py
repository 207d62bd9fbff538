"""Citizens' drafts: start one, answer it step by step, and resume it elsewhere from a link
sent by email."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portalwerk.platform.accounts.identity.assurance import SignedInWith
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.forms import throttle
from portalwerk.platform.forms.engine import bounds
from portalwerk.platform.forms.engine.specs import UploadInfo
from portalwerk.platform.forms.engine.values import holds_nul
from portalwerk.platform.forms.errors import FormErrorCode as Code
from portalwerk.platform.forms.models import Draft, Form, Upload, VersionStatus
from portalwerk.platform.forms.services.checks import (
    _ensure_open,
    _error,
    _signed_in_user,
    field_errors,
)
from portalwerk.platform.forms.services.signing_in import check_sign_in, verified_values
from portalwerk.tenants.models import Module
from portalwerk.tenants.modules import require_module


def start_draft(
    *,
    actor: Actor,
    form: Form,
    client_ip: str | None = None,
    signed_in_with: SignedInWith | None = None,
) -> Draft:
    """Start a draft of the form's published version. `client_ip` is counted against the start
    limit (before the transaction, so a refused start counts too); None counts nothing.
    `signed_in_with` (the session's `assurance.current`; None: no state account) must meet the
    form's sign-in requirement; the attributes its state account vouches for prefill the form."""
    require_module(Module.FORMS)
    throttle.check("start", client_ip)
    # data sources are asked before the transaction: a slow one must not hold it open
    version = form.versions.filter(status=VersionStatus.PUBLISHED).first()
    if version is not None:
        check_sign_in(version.spec, signed_in_with)  # before asking any source
    sourced = version.spec.source_prefills() if version is not None else {}
    return _start_draft(actor=actor, form=form, sourced=sourced, signed_in_with=signed_in_with)


@transaction.atomic
def _start_draft(
    *,
    actor: Actor,
    form: Form,
    sourced: Mapping[str, Any],
    signed_in_with: SignedInWith | None,
) -> Draft:
    version = form.versions.filter(status=VersionStatus.PUBLISHED).first()
    if version is None or not form.is_active:
        raise _error(Code.FORM_NOT_AVAILABLE, _("This form is not available."))
    check_sign_in(version.spec, signed_in_with)
    user = _signed_in_user(actor)
    known = {**_account_values(user), **verified_values(signed_in_with)}
    return Draft.objects.create(
        version=version,
        user=user,
        answers=version.spec.prefilled(known, {}, sourced),
        expires_at=timezone.now() + timedelta(days=form.draft_days),
    )


def _account_values(user) -> dict[str, Any]:
    """What the citizen's account holds, by prefill source (engine.specs.PREFILL_SOURCES)."""
    if user is None:
        return {}
    name = " ".join((user.full_name or "").split())
    first, _space, last = name.rpartition(" ")
    return {
        "email": user.email,
        "name": name,
        "first_name": first,
        "last_name": last,
        "address": user.postal_address,
    }


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


def save_step(
    *,
    actor: Actor,
    draft: Draft,
    step_key: str,
    raw: Mapping[str, Any],
    strict: bool = True,
    signed_in_with: SignedInWith | None = None,
) -> Draft:
    """Validate one step and keep its answers. Answers of steps a changed answer now skips are
    dropped when submitting (the engine cleans all answers again then). `signed_in_with` must
    meet the form's sign-in requirement, as when the draft was started."""
    require_module(Module.FORMS)
    check_sign_in(draft.version.spec, signed_in_with)
    draft.version.spec.warm_sources(step_key)  # before the transaction, like start_draft
    return _save_step(
        actor=actor,
        draft=draft,
        step_key=step_key,
        raw=raw,
        strict=strict,
        signed_in_with=signed_in_with,
    )


@transaction.atomic
def _save_step(
    *,
    actor: Actor,
    draft: Draft,
    step_key: str,
    raw: Mapping[str, Any],
    strict: bool,
    signed_in_with: SignedInWith | None,
) -> Draft:
    draft = Draft.objects.select_for_update().select_related("version__form").get(pk=draft.pk)
    _ensure_open(draft.version)
    spec = draft.version.spec
    check_sign_in(spec, signed_in_with)
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


def keep_step_answers(
    *,
    actor: Actor,
    draft: Draft,
    step_key: str,
    raw: Mapping[str, Any],
    signed_in_with: SignedInWith | None = None,
) -> Draft:
    """Save and come back later: keep a step's answers as they are, valid or not. Valid answers
    are kept clean, the others as typed, so nothing is lost; the step counts as answered only
    when all of it is valid (the later steps open and the submission checks everything again).
    `signed_in_with` must meet the form's sign-in requirement."""
    draft = Draft.objects.select_for_update().select_related("version__form").get(pk=draft.pk)
    _ensure_open(draft.version)
    spec = draft.version.spec
    check_sign_in(spec, signed_in_with)
    step = spec.step(step_key)
    if step is None or step.is_skipped(draft.answers) or not step_is_available(draft, step_key):
        raise _error(Code.STEP_NOT_AVAILABLE, _("This step does not exist in this form."))
    values, errors = spec.clean_step(step_key, raw, draft.answers, upload_lookup(draft), False)
    if any(error.code in bounds.CODES for error in errors):
        raise field_errors(errors)  # beyond what any answer may be: not kept, not even as typed
    wrong = {error.path.split(".")[0] for error in errors}
    own = {f.key for f in step.fields}
    answers = {k: v for k, v in draft.answers.items() if k not in own}
    answers.update(values)
    answers.update(
        {
            key: raw[key]
            for key in wrong
            if key in own and raw.get(key) not in (None, "") and not holds_nul(raw[key])
        }
    )
    draft.answers = answers
    if not errors and step_key not in draft.completed_steps:
        draft.completed_steps = [*draft.completed_steps, step_key]
    elif errors:
        draft.completed_steps = [key for key in draft.completed_steps if key != step_key]
    draft.expires_at = timezone.now() + timedelta(days=draft.version.form.draft_days)
    draft.save(update_fields=["answers", "completed_steps", "expires_at", "updated_at"])
    return draft


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def send_resume_link(
    *,
    actor: Actor,
    draft: Draft,
    email: str,
    base_url: str | None = None,
    ip: str | None = None,
) -> str:
    """Email a link that resumes the draft in any browser. Returns the token (for tests).

    The link is on the tenant's primary domain, whatever host the request came in on (`base_url`
    is no longer used: a forged or secondary Host must not end up in a mail). Limited per
    recipient and per client address (`mail.limits`, code `too_many_mails`)."""
    require_module(Module.FORMS)
    from django.core.validators import validate_email

    from portalwerk.platform.forms import tasks
    from portalwerk.platform.jobs import defer_for_tenant
    from portalwerk.platform.mail import limits as mail_limits
    from portalwerk.tenants.current import current_tenant_url

    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise _error(
            Code.INVALID_EMAIL,
            _("Enter an email address in the right format, like name@example.com."),
            "email",
        ) from None
    mail_limits.check(to=email, ip=ip, field="email")
    token = secrets.token_urlsafe(32)
    draft = Draft.objects.select_for_update().select_related("version__form").get(pk=draft.pk)
    draft.resume_token_hash = _token_hash(token)
    draft.resume_expires_at = timezone.now() + timedelta(
        hours=settings.PORTALWERK_RESUME_LINK_HOURS
    )
    # whoever resumes from the mail reads that address: the contact step offers it
    draft.answers = draft.version.spec.prefilled({"email": email}, draft.answers)
    draft.save(update_fields=["resume_token_hash", "resume_expires_at", "answers", "updated_at"])
    language = (get_language() or "de")[:2]
    defer_for_tenant(
        tasks.send_resume_mail,
        email=email,
        url=current_tenant_url(f"/forms/resume/{token}/"),
        hours=settings.PORTALWERK_RESUME_LINK_HOURS,
        language=language,
        form_title=draft.version.form.title_text(language),
    )
    return token


@transaction.atomic
def resume_draft(*, actor: Actor, token: str) -> Draft:
    """The draft a resume link points at. The link works once; it expires."""
    require_module(Module.FORMS)
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
