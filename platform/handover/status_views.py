"""The status endpoint a receiving system reports back to (answers back): it reads the body,
asks `answers.receive_report` and turns the outcome into JSON. No cookies, no CSRF token: the
signature over the body is what proves the sender."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portalwerk.platform.authz.actors import system
from portalwerk.platform.client import client_ip
from portalwerk.platform.handover import answers, signing

STATUS = {
    answers.AnswerError.RATE_LIMITED: 429,
    answers.AnswerError.BAD_SIGNATURE: 401,
    answers.AnswerError.NOT_FOUND: 404,
}


def _errors(exc: ValidationError) -> tuple[str, list[dict]]:
    if hasattr(exc, "error_dict"):
        items = [(field, e) for field, group in exc.error_dict.items() for e in group]
    else:
        items = [("", e) for e in exc.error_list]
    errors = [
        {"field": "" if field == "__all__" else field, "code": e.code, "message": str(e.message)}
        for field, e in items
    ]
    return str(items[0][1].code), errors


def _body(request) -> bytes | None:
    """The body, or None when it is larger than a callback may be (read no further)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > answers.MAX_BODY_BYTES:
        return None
    body = request.read(answers.MAX_BODY_BYTES + 1)
    return None if len(body) > answers.MAX_BODY_BYTES else body


@csrf_exempt
@require_POST
def report(request, target_id: int):
    body = _body(request)
    try:
        stored, _created = answers.receive_report(
            actor=system(answers.status_job(target_id)),
            target_id=target_id,
            body=body,
            signature=request.headers.get(signing.HEADER),
            client_ip=client_ip(request),
        )
    except ValidationError as exc:
        code, errors = _errors(exc)
        response = JsonResponse({"errors": errors}, status=STATUS.get(code, 400))
    else:
        response = JsonResponse({"report": answers.as_json(stored)})
    response["Cache-Control"] = "no-store"
    return response
