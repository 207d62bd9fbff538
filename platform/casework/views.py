"""The inbox's export download (the queue is `queue_views`, the submission page lives in the
workspace: `portalwerk.platform.workspace.submission`)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portalwerk.platform.backoffice import backoffice_site
from portalwerk.platform.casework import export as export_module


def _messages(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "error_dict"):
        return {k: v[0].messages[0] for k, v in exc.error_dict.items()}
    return {"__all__": exc.messages[0]}


@backoffice_site.admin_view
@require_POST
def export(request):
    fmt = request.POST.get("format", "csv")
    try:
        result = export_module.export_submissions(
            actor=request.actor, submission_ids=request.POST.getlist("ids"), fmt=fmt
        )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict") and exc.code == "not_found":
            raise Http404 from None
        # back to the inbox as the clerk left it, with the message there
        for message in _messages(exc).values():
            messages.error(request, message)
        query = request.POST.get("query", "")
        inbox_url = reverse("casework:inbox")
        return redirect(f"{inbox_url}?{QueryDict(query).urlencode()}" if query else inbox_url)
    response = HttpResponse(result.content, content_type=result.content_type)
    stamp = datetime.date.today().isoformat()
    name = f"{_('submissions')}-{stamp}.{result.extension}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response
