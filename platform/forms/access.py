"""Reads by id, inside the current tenant and the actor's rights, with one uniform "not found".

A citizen's drafts and submissions are theirs when they belong to their account or, for someone
not signed in, when their id is kept in this browser session (`owned`); a submission is also
its link holder's (`forms.links`)."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import Actor, check
from portalwerk.platform.forms.errors import FormErrorCode
from portalwerk.platform.forms.models import Draft, Form, Submission, Upload, VersionStatus

DRAFTS_KEY = "form_drafts"
SUBMISSIONS_KEY = "form_submissions"


def owned(session, key: str) -> list[str]:
    """Ids of drafts (or references of submissions) this browser session made."""
    return list(session.get(key, [])) if session is not None else []


def remember(session, key: str, value: str) -> None:
    items = [v for v in session.get(key, []) if v != value]
    session[key] = [*items[-19:], value]


def not_found() -> ValidationError:
    return ValidationError(_("This was not found."), code=FormErrorCode.NOT_FOUND)


def _uuid(value) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (TypeError, ValueError):
        return None


def _user_id(actor: Actor) -> int | None:
    return check(actor).user_id


def get_published_form(slug: str) -> Form:
    form = (
        Form.objects.filter(slug=slug, is_active=True, versions__status=VersionStatus.PUBLISHED)
        .distinct()
        .first()
    )
    if form is None:
        raise not_found()
    return form


def get_form_for_clerk(actor: Actor, form_id) -> Form:
    if not capabilities.can_use_backoffice(actor):
        raise not_found()
    form = Form.objects.filter(pk=form_id).first() if str(form_id).isdigit() else None
    if form is None:
        raise not_found()
    return form


def get_draft_for(actor: Actor, draft_id, owned: Collection[str] = ()) -> Draft:
    """The citizen's own draft that has not expired."""
    pk = _uuid(draft_id)
    if pk is None:
        raise not_found()
    draft = (
        Draft.objects.select_related("version__form")
        .filter(pk=pk, expires_at__gt=timezone.now())
        .first()
    )
    if draft is None:
        raise not_found()
    if draft.user_id is not None:
        if _user_id(actor) != draft.user_id:
            raise not_found()
    elif str(draft.pk) not in owned:
        raise not_found()
    return draft


def get_submission_for(actor: Actor, reference: str, owned: Collection[str] = ()) -> Submission:
    """The citizen's own submission, by its public reference."""
    submission = (
        Submission.objects.select_related("form", "version").filter(reference=reference).first()
    )
    if submission is None or submission.anonymised_at is not None:
        raise not_found()
    mine = submission.user_id is not None and _user_id(actor) == submission.user_id
    # A link holder's actor is made only from a valid link of this very submission (forms.links).
    if actor.is_link_holder and actor.submission_reference == submission.reference:
        return submission
    if not mine and (submission.user_id is not None or reference not in owned):
        raise not_found()
    return submission


def get_submission_for_clerk(actor: Actor, submission_id) -> Submission:
    if not capabilities.can_read_submissions(actor):
        raise not_found()
    if not str(submission_id).isdigit():
        raise not_found()
    submission = (
        Submission.objects.select_related("form", "version", "user", "assigned_to")
        .filter(pk=int(submission_id))
        .first()
    )
    if submission is None:
        raise not_found()
    return submission


def get_upload_for(actor: Actor, upload_id, owned: Collection[str] = ()) -> Upload:
    """A file: for clerks of this tenant, for the citizen whose draft or submission holds it."""
    pk = _uuid(upload_id)
    if pk is None:
        raise not_found()
    upload = Upload.objects.select_related("draft", "submission").filter(pk=pk).first()
    if upload is None:
        raise not_found()
    if capabilities.can_read_submissions(actor):
        if upload.submission_id is not None:
            return upload
        raise not_found()
    if upload.submission_id is not None:
        get_submission_for(actor, upload.submission.reference, owned)
        return upload
    if upload.draft_id is not None:
        get_draft_for(actor, upload.draft_id, owned)
        return upload
    if upload.uploaded_by_id is not None and _user_id(actor) == upload.uploaded_by_id:
        return upload
    raise not_found()
