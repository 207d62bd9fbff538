"""Internal notes on a submission: what the office writes for itself. Staff read and add them on
the submission page; no citizen page, API field or mail reads them."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.casework.models import Note
from portalwerk.platform.error_codes import ErrorCode, code_error
from portalwerk.platform.forms.access import get_submission_for_clerk
from portalwerk.platform.forms.models import Submission

MAX_NOTE = 5000


class NoteErrorCode(ErrorCode):
    EMPTY_NOTE = "empty_note"
    NOTE_TOO_LONG = "note_too_long"


@transaction.atomic
def add_note(*, actor: Actor, submission_id, body: str) -> Note:
    capabilities.require(actor, capabilities.Capability.PROCESS_SUBMISSIONS)
    submission = get_submission_for_clerk(actor, submission_id)
    body = (body or "").strip()
    if not body:
        raise code_error(NoteErrorCode.EMPTY_NOTE, _("Enter a note."), "note_body")
    if len(body) > MAX_NOTE:
        raise code_error(
            NoteErrorCode.NOTE_TOO_LONG,
            _("The note must be %(n)s characters or fewer.") % {"n": MAX_NOTE},
            "note_body",
        )
    note = Note.objects.create(submission=submission, author=actor.user, body=body)
    # the note's text is personal data at times: the trail names the note, not its words
    record(actor, Action.SUBMISSION_NOTE_ADDED, submission, note_id=note.pk)
    return note


def notes_of(submission: Submission):
    """A submission's notes, oldest first, with their authors (one query)."""
    return Note.objects.filter(submission=submission).select_related("author")
