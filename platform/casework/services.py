"""Writes on casework: opening a submission (audited), status changes, messages, assignment,
export. Staff access to personal data always writes an audit entry."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portalwerk.platform.accounts.models import User
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import Actor, check, from_user
from portalwerk.platform.casework.models import Message, StatusChange
from portalwerk.platform.error_codes import ErrorCode, code_error
from portalwerk.platform.forms.access import get_submission_for_clerk
from portalwerk.platform.forms.models import Submission, SubmissionStatus, Upload


class CaseworkErrorCode(ErrorCode):
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    INVALID_TRANSITION = "invalid_transition"
    EMPTY_MESSAGE = "empty_message"
    MESSAGE_TOO_LONG = "message_too_long"
    NOT_A_CLERK = "not_a_clerk"
    NOTHING_SELECTED = "nothing_selected"
    STATUS_REQUIRED = "status_required"
    UNKNOWN_FORMAT = "unknown_format"
    UNKNOWN_ACTION = "unknown_action"
    TOO_MANY_SELECTED = "too_many_selected"
    VIEW_NAME_REQUIRED = "view_name_required"
    VIEW_NAME_TOO_LONG = "view_name_too_long"
    VIEW_NAME_INVALID = "view_name_invalid"
    TOO_MANY_VIEWS = "too_many_views"


S = SubmissionStatus
TRANSITIONS: dict[str, set[str]] = {
    S.RECEIVED: {S.IN_PROGRESS, S.REJECTED},
    S.IN_PROGRESS: {S.WAITING, S.COMPLETED, S.REJECTED},
    S.WAITING: {S.IN_PROGRESS, S.COMPLETED, S.REJECTED},
    S.COMPLETED: set(),
    S.REJECTED: set(),
}
MAX_MESSAGE = 5000


def _error(code: str, message: str, field: str = "__all__") -> ValidationError:
    return code_error(code, message, field)


@transaction.atomic
def open_submission(*, actor: Actor, submission_id) -> Submission:
    """The submission with its personal data, for a clerk; the opening is audited."""
    submission = get_submission_for_clerk(actor, submission_id)
    record(actor, Action.SUBMISSION_OPENED, submission)
    # The citizen's replies count as read once staff have opened the submission.
    Message.objects.filter(submission=submission, from_office=False, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return submission


def record_inbox_listing(*, actor: Actor, rows: int, page: int, filters: dict) -> None:
    """Seeing the inbox shows applicants' names: recorded, for HTML and GraphQL alike (which
    filters were set, not what was typed into them)."""
    record(
        actor,
        Action.SUBMISSION_LISTED,
        page=page,
        rows=rows,
        filtered=sorted(k for k, v in filters.items() if v),
    )


@transaction.atomic
def record_download(*, actor: Actor, upload: Upload) -> None:
    record(actor, Action.SUBMISSION_FILE_DOWNLOADED, upload.submission, file=str(upload.pk))


def _notify(submission: Submission, kind: str, status: str = "") -> None:
    from portalwerk.platform.forms.tasks import send_status_mail
    from portalwerk.platform.jobs import defer_for_tenant

    if submission.email:
        defer_for_tenant(send_status_mail, submission_id=submission.pk, kind=kind, status=status)


@transaction.atomic
def change_status(*, actor: Actor, submission_id, status: str, note: str = "") -> Submission:
    capabilities.require(actor, capabilities.Capability.PROCESS_SUBMISSIONS)
    submission = get_submission_for_clerk(actor, submission_id)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not status:  # the page offers no status preselected: nothing risky happens by default
        raise _error(CaseworkErrorCode.STATUS_REQUIRED, _("Choose the new status."), "status")
    if status not in TRANSITIONS.get(submission.status, set()):
        raise _error(
            CaseworkErrorCode.INVALID_TRANSITION,
            _("A submission that is “%(old)s” cannot become “%(new)s”.")
            % {
                "old": S(submission.status).label,
                "new": S(status).label if status in S.values else status,
            },
            "status",
        )
    old = submission.status
    submission.status = status
    submission.save(update_fields=["status", "updated_at"])
    StatusChange.objects.create(
        submission=submission, old_status=old, new_status=status, actor=actor.user, note=note[:2000]
    )
    record(actor, Action.SUBMISSION_STATUS_CHANGED, submission, old=old, new=status)
    _notify(submission, "status", status)
    return submission


@transaction.atomic
def assign_submission(*, actor: Actor, submission_id, assignee_id: int | None) -> Submission:
    capabilities.require(actor, capabilities.Capability.PROCESS_SUBMISSIONS)
    submission = get_submission_for_clerk(actor, submission_id)
    assignee = None
    if assignee_id is not None:
        assignee = User.objects.filter(pk=assignee_id, is_active=True).first()
        if assignee is None or not capabilities.can_use_backoffice(from_user(assignee)):
            raise _error(
                CaseworkErrorCode.NOT_A_CLERK, _("Choose a clerk of this office."), "assignee"
            )
    submission.assigned_to = assignee
    submission.save(update_fields=["assigned_to", "updated_at"])
    record(
        actor,
        Action.SUBMISSION_ASSIGNED,
        submission,
        assignee_id=assignee.pk if assignee else None,
    )
    return submission


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise _error(CaseworkErrorCode.EMPTY_MESSAGE, _("Enter a message."), "body")
    if len(body) > MAX_MESSAGE:
        raise _error(
            CaseworkErrorCode.MESSAGE_TOO_LONG,
            _("The message must be %(n)s characters or fewer.") % {"n": MAX_MESSAGE},
            "body",
        )
    return body


def _attach(actor: Actor, message: Message, submission: Submission, files: Iterable) -> None:
    from portalwerk.platform.forms.services.files import _store

    for file in files:
        try:
            upload = _store(actor=actor, file=file, field_key="attachment", submission=submission)
        except ValidationError as exc:
            errors = exc.error_dict.get("attachment") or next(iter(exc.error_dict.values()))
            raise ValidationError({"attachment": errors}) from None
        message.attachments.add(upload)


@transaction.atomic
def send_message(*, actor: Actor, submission_id, body: str, files: Iterable = ()) -> Message:
    """A message from the office to the citizen; the citizen gets a mail with a link only."""
    capabilities.require(actor, capabilities.Capability.PROCESS_SUBMISSIONS)
    submission = get_submission_for_clerk(actor, submission_id)
    message = Message.objects.create(
        submission=submission, author=actor.user, from_office=True, body=_clean_body(body)
    )
    _attach(actor, message, submission, files)
    record(
        actor, Action.SUBMISSION_MESSAGE_SENT, submission, attachments=message.attachments.count()
    )
    _notify(submission, "message")
    return message


@transaction.atomic
def reply_to_office(
    *, actor: Actor, submission: Submission, body: str, files: Iterable = ()
) -> Message:
    """The citizen's reply, signed in or by access link (the caller got `submission` through the
    citizen access helper). It stays unread in the inbox until staff open the submission, and the
    assigned clerk gets a mail."""
    message = Message.objects.create(
        submission=submission,
        author=check(actor).user,
        from_office=False,
        body=_clean_body(body),
    )
    _attach(actor, message, submission, files)
    record(actor, Action.SUBMISSION_REPLIED, submission, attachments=message.attachments.count())
    if submission.assigned_to_id is not None:
        from portalwerk.platform.casework.tasks import send_reply_notice
        from portalwerk.platform.jobs import defer_for_tenant

        defer_for_tenant(send_reply_notice, submission_id=submission.pk)
    return message


def export_submissions(*, actor: Actor, submission_ids: list, fmt: str) -> tuple[str, bytes]:
    """Selected submissions as CSV or JSON (`portalwerk.platform.casework.export`); audited."""
    from portalwerk.platform.casework import export

    result = export.export_submissions(actor=actor, submission_ids=submission_ids, fmt=fmt)
    return result.content_type, result.content
