"""Pages of the hand-over app on a tenant host that receiving systems call."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse

from portalwerk.platform.forms.models import Upload
from portalwerk.platform.forms.uploads import storage
from portalwerk.platform.handover.downloads import RECEIPT, read_token
from portalwerk.platform.handover.models import Delivery


def download(request, token: str):
    """One file of a delivery, by its signed link. Anything else (a forged or expired token,
    a file purged meanwhile) is a 404 that says nothing about what exists."""
    found = read_token(token)
    if found is None:
        raise Http404
    key, file_id = found
    delivery = Delivery.objects.filter(key=key).select_related("submission").first()
    if delivery is None or delivery.submission.anonymised_at:
        raise Http404
    submission = delivery.submission
    if file_id == RECEIPT:
        receipt = getattr(submission, "receipt", None)
        if receipt is None:
            raise Http404
        response = HttpResponse(bytes(receipt.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{submission.reference}.pdf"'
    else:
        upload = Upload.objects.filter(submission=submission, pk=_uuid(file_id)).first()
        if upload is None:
            raise Http404
        response = FileResponse(
            storage().open(upload.stored_name, "rb"),
            as_attachment=True,
            filename=upload.name,
            content_type=upload.content_type,
        )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _uuid(value: str):
    import uuid

    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None
