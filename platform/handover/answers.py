"""Answers back: what a receiving system reports about a delivery (its case number, a status in
its own words, a message with perhaps a document), received at the target's signed status
endpoint (`POST /handover/status/<target id>/`, docs/handover/answers.md).

`receive_report` is the whole rule set; the view only reads the body and turns the outcome into
an HTTP answer. Order matters: the rate limit counts every request (also forged ones), the
signature is checked over the exact body bytes before anything in it is believed, and only then
is the JSON read. A report is stored once per (target, event id): a repeated or replayed
callback gets the stored report back and changes nothing, and mails nobody again."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from portalwerk.platform import ratelimits
from portalwerk.platform.authz.actors import Actor, check
from portalwerk.platform.error_codes import ErrorCode
from portalwerk.platform.forms.uploads import safe_name, sniff
from portalwerk.platform.handover import signing
from portalwerk.platform.handover.models import Delivery, Report, ReportKind, Target

#: a whole callback, JSON and a base64 document included (base64 grows a file by a third)
MAX_BODY_BYTES = 8 * 1024 * 1024
#: the attached document, decoded
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_LENGTHS = {"event_id": 200, "case_number": 100, "status": 200, "message": 10_000}
MAX_DOCUMENT_NAME = 200
#: callbacks per target and client address per minute: a back office reporting a busy day's
#: work stays far below it, a client guessing signatures does not get far
REPORTS_PER_MINUTE = 600

CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}


class AnswerError(ErrorCode):
    RATE_LIMITED = "rate_limited"
    TOO_LARGE = "too_large"
    BAD_SIGNATURE = "bad_signature"
    NOT_JSON = "not_json"
    INVALID = "invalid"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Document:
    name: str
    kind: str
    content: bytes


@dataclass(frozen=True)
class Callback:
    """A callback's body, read and checked."""

    delivery_key: uuid.UUID
    event_id: str
    case_number: str = ""
    status: str = ""
    message: str = ""
    document: Document | None = None


def status_job(target_id) -> str:
    """The name of the system actor that reports for a target."""
    return f"handover-status:target-{target_id}"


def _invalid(message, field: str = "__all__"):
    return AnswerError.INVALID.error(message, field)


def _text(data: dict, key: str) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _invalid(_("Must be a string."), key)
    value = value.strip()
    if len(value) > MAX_LENGTHS[key]:
        raise _invalid(_("At most %(n)s characters.") % {"n": MAX_LENGTHS[key]}, key)
    if "\x00" in value:
        raise _invalid(_("Must not contain NUL characters."), key)
    return value


def _document(value) -> Document | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _invalid(
            _("Must be an object with name, content_type and content_base64."), "document"
        )
    name, encoded = value.get("name", ""), value.get("content_base64")
    if not isinstance(name, str) or len(name) > MAX_DOCUMENT_NAME:
        raise _invalid(
            _("A name of at most %(n)s characters.") % {"n": MAX_DOCUMENT_NAME}, "document"
        )
    if not isinstance(encoded, str) or not encoded:
        raise _invalid(_("content_base64 is missing."), "document")
    if len(encoded) > (MAX_DOCUMENT_BYTES * 4) // 3 + 4:
        raise AnswerError.TOO_LARGE.error(
            _("The document is larger than %(mb)s MB.") % {"mb": MAX_DOCUMENT_BYTES // 2**20},
            "document",
        )
    try:
        content = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise _invalid(_("content_base64 is not base64."), "document") from None
    if len(content) > MAX_DOCUMENT_BYTES:
        raise AnswerError.TOO_LARGE.error(
            _("The document is larger than %(mb)s MB.") % {"mb": MAX_DOCUMENT_BYTES // 2**20},
            "document",
        )
    kind = sniff(content[:16])
    if kind is None:
        # what it says it is does not count: only its first bytes do
        raise _invalid(_("Only PDF, PNG and JPEG documents are accepted."), "document")
    return Document(name=safe_name(name, kind), kind=kind, content=content)


def parse(body: bytes) -> Callback:
    """The callback in `body`, or a ValidationError (code `not_json` or `invalid`, by field)."""
    if len(body) > MAX_BODY_BYTES:
        raise AnswerError.TOO_LARGE.error(_("The request body is too large."))
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise AnswerError.NOT_JSON.error(_("The body is not JSON in UTF-8.")) from None
    if not isinstance(data, dict):
        raise AnswerError.NOT_JSON.error(_("The body must be a JSON object."))
    raw_key = data.get("delivery")
    try:
        delivery_key = uuid.UUID(raw_key) if isinstance(raw_key, str) else None
    except ValueError:
        delivery_key = None
    if delivery_key is None:
        raise _invalid(
            _("The idempotency key of the delivery is missing or malformed."), "delivery"
        )
    event_id = _text(data, "event_id")
    if not event_id:
        raise _invalid(_("event_id is missing."), "event_id")
    callback = Callback(
        delivery_key=delivery_key,
        event_id=event_id,
        case_number=_text(data, "case_number"),
        status=_text(data, "status"),
        message=_text(data, "message"),
        document=_document(data.get("document")),
    )
    if not (callback.case_number or callback.status or callback.message):
        raise _invalid(_("Report at least one of case_number, status and message."))
    return callback


def _kind(callback: Callback) -> str:
    if callback.message or callback.document:
        return ReportKind.MESSAGE
    return ReportKind.STATUS if callback.status else ReportKind.CASE_NUMBER


def _not_found():
    return AnswerError.NOT_FOUND.error(_("No such delivery to this target."), None)


def receive_report(
    *,
    actor: Actor,
    target_id: int,
    body: bytes | None,
    signature: str | None,
    client_ip: str | None = None,
) -> tuple[Report, bool]:
    """Store what the system behind target `target_id` reports in `body` (signed in
    `signature`, the Portalwerk-Signature header); returns the report and whether it is new.
    `body` None: the request was larger than MAX_BODY_BYTES and was not read.

    Raises ValidationError: `rate_limited`, `too_large`, `not_found` (no such target in this
    tenant, or the delivery is not this target's), `bad_signature`, `not_json`, `invalid`."""
    check(actor)
    if ratelimits.hit(
        "handover-status-ip",
        f"{target_id}:{client_ip}" if client_ip else None,
        allowed=REPORTS_PER_MINUTE,
        window_seconds=60,
    ):
        raise AnswerError.RATE_LIMITED.error(_("Too many reports. Try again in a minute."))
    if body is None or len(body) > MAX_BODY_BYTES:
        raise AnswerError.TOO_LARGE.error(_("The request body is too large."))
    target = Target.objects.filter(pk=target_id).first()
    if target is None:
        raise _not_found()
    try:
        signing.verify(body, signature, target.callback_secret)
    except signing.BadSignature as exc:
        raise AnswerError.BAD_SIGNATURE.error(str(exc), None) from None
    callback = parse(body)
    return _store(target, callback)


@transaction.atomic
def _store(target: Target, callback: Callback) -> tuple[Report, bool]:
    earlier = Report.objects.filter(target=target, event_id=callback.event_id).first()
    if earlier is not None:
        return earlier, False
    delivery = (
        Delivery.objects.select_related("submission")
        .filter(key=callback.delivery_key, target=target, submission__anonymised_at__isnull=True)
        .first()
    )
    if delivery is None:
        raise _not_found()
    document = callback.document
    try:
        with transaction.atomic():
            report = Report.objects.create(
                delivery=delivery,
                target=target,
                submission=delivery.submission,
                event_id=callback.event_id,
                kind=_kind(callback),
                case_number=callback.case_number,
                status=callback.status,
                message=callback.message,
                document_name=document.name if document else "",
                document_kind=document.kind if document else "",
                document=document.content if document else b"",
            )
    except IntegrityError:
        # the same event arrived twice at once: the other request stored it
        return Report.objects.get(target=target, event_id=callback.event_id), False
    if _is_news(report):
        from portalwerk.platform.handover import tasks
        from portalwerk.platform.jobs import defer_for_tenant

        defer_for_tenant(tasks.send_report_notice, report_id=report.pk)
    return report, True


def _is_news(report: Report) -> bool:
    """Worth a mail to the applicant: a message, a document, or a status other than the one
    reported last. A case number alone is not."""
    submission = report.submission
    if not submission.email or report.kind == ReportKind.CASE_NUMBER:
        return False
    if report.kind == ReportKind.MESSAGE:
        return True
    before = (
        Report.objects.filter(submission=submission, received_at__lte=report.received_at)
        .exclude(pk=report.pk)
        .exclude(status="")
        .order_by("-received_at", "-pk")
        .values_list("status", flat=True)
        .first()
    )
    return before != report.status


def as_json(report: Report) -> dict:
    """The stored report, as the endpoint answers with it (no document bytes)."""
    return {
        "event_id": report.event_id,
        "delivery": str(report.delivery.key),
        "kind": report.kind,
        "case_number": report.case_number,
        "status": report.status,
        "message": report.message,
        "document": (
            {
                "name": report.document_name,
                "content_type": CONTENT_TYPES[report.document_kind],
                "size": len(report.document),
            }
            if report.document_kind
            else None
        ),
        "received_at": report.received_at.isoformat(),
    }
