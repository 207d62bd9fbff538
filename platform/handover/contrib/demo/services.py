"""What the operator does in the demo back office: answer an application (case number,
status, message, optionally a document) and send an answer again that the portal did not take.
Only platform operators may; nothing here is a citizen's or clerk's write."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.authz.capabilities import Capability, require
from portalwerk.platform.error_codes import ErrorCode
from portalwerk.platform.forms.uploads import sniff
from portalwerk.platform.handover.contrib.demo import callback
from portalwerk.platform.handover.contrib.demo.models import DemoAnswer, DemoParcel

MAX_DOCUMENT_BYTES = 5_000_000
MAX_MESSAGE_CHARS = 5000
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}


# What a back-office system reports, in its own words: the operator picks one, and it is sent
# in the words of the application's language, which the citizen reads.
STATUSES = {
    "in_progress": _("In progress"),
    "documents_requested": _("Documents requested"),
    "notice_issued": _("Notice issued"),
    "rejected": _("Rejected"),
    "completed": _("Completed"),
}


def statuses() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in STATUSES.items()]


class DemoBackofficeErrorCode(ErrorCode):
    NOT_FOUND = "not_found"
    CASE_NUMBER_REQUIRED = "case_number_required"
    UNKNOWN_STATUS = "unknown_status"
    NOTHING_TO_SAY = "nothing_to_say"
    MESSAGE_TOO_LONG = "message_too_long"
    DOCUMENT_TYPE = "document_type"
    DOCUMENT_TOO_LARGE = "document_too_large"


Code = DemoBackofficeErrorCode


def get_parcel_for(actor: Actor, parcel_id: int) -> DemoParcel:
    require(actor, Capability.OPERATE_PLATFORM)
    parcel = DemoParcel.objects.filter(pk=parcel_id).first()
    if parcel is None:
        raise Code.NOT_FOUND.error(_("This application is not in the demo back office."))
    return parcel


def answer_parcel(
    *,
    actor: Actor,
    parcel_id: int,
    case_number: str,
    status: str = "",
    message: str = "",
    document=None,
) -> DemoAnswer:
    """Record the answer and send it to the portal's status endpoint; the answer keeps what
    the endpoint said (`accepted`), so the operator sees it and may send it again."""
    parcel = get_parcel_for(actor, parcel_id)
    case_number, message = case_number.strip(), message.strip()
    errors: dict[str, list[ValidationError]] = {}

    def refuse(field: str, code: Code, message) -> None:
        errors[field] = [code.error(message, None)]

    if not case_number:
        refuse("case_number", Code.CASE_NUMBER_REQUIRED, _("Enter a case number."))
    if status and status not in STATUSES:
        refuse("status", Code.UNKNOWN_STATUS, _("Choose a status from the list."))
    if len(message) > MAX_MESSAGE_CHARS:
        refuse(
            "message",
            Code.MESSAGE_TOO_LONG,
            _("The message may have at most %(n)s characters.") % {"n": MAX_MESSAGE_CHARS},
        )
    name = content_type = ""
    content = None
    if document is not None:
        if document.size > MAX_DOCUMENT_BYTES:
            refuse("document", Code.DOCUMENT_TOO_LARGE, _("The document may be at most 5 MB."))
        else:
            content = document.read()
            kind = sniff(content[:16])
            if kind is None:
                refuse(
                    "document", Code.DOCUMENT_TYPE, _("The document must be a PDF, PNG or JPEG.")
                )
            else:
                name, content_type = (document.name or "document")[:255], CONTENT_TYPES[kind]
    if not errors and not (status or message or content):
        refuse(
            "status", Code.NOTHING_TO_SAY, _("Choose a status, write a message or add a document.")
        )
    if errors:
        raise ValidationError(errors)
    if status:
        with translation.override(parcel.language):
            status = str(STATUSES[status])
    answer = DemoAnswer.objects.create(
        parcel=parcel,
        case_number=case_number[:60],
        status=status,
        message=message,
        document_name=name,
        document_type=content_type,
        document=content,
    )
    return _send(answer)


def send_again(*, actor: Actor, parcel_id: int, answer_id: int) -> DemoAnswer:
    parcel = get_parcel_for(actor, parcel_id)
    answer = DemoAnswer.objects.select_related("parcel").filter(pk=answer_id, parcel=parcel).first()
    if answer is None:
        raise Code.NOT_FOUND.error(_("This answer is not in the demo back office."))
    if answer.accepted:
        return answer
    return _send(answer)


def _send(answer: DemoAnswer) -> DemoAnswer:
    # no transaction around the call: the portal's endpoint answers from another connection,
    # and no row of ours stays locked while it does
    outcome = callback.send(answer)
    answer.accepted = outcome.accepted
    answer.attempts += 1
    answer.last_http_status = outcome.http_status
    answer.last_detail = outcome.detail[:300]
    answer.last_sent_at = timezone.now()
    answer.save(
        update_fields=["accepted", "attempts", "last_http_status", "last_detail", "last_sent_at"]
    )
    return answer
