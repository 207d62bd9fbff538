"""The clerk inbox on the tenant host, under /backoffice/inbox/ behind the back office sign-in;
the submission page is the workspace's (platform/workspace/submission.py)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portalwerk.platform.accounts.models import User
from portalwerk.platform.authz.capabilities import (
    Capability,
    roles_with,
)
from portalwerk.platform.backoffice import backoffice_site
from portalwerk.platform.casework import export as export_module
from portalwerk.platform.casework import services
from portalwerk.platform.forms.models import Form, SubmissionStatus


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _messages(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "error_dict"):
        return {k: v[0].messages[0] for k, v in exc.error_dict.items()}
    return {"__all__": exc.messages[0]}


def _clerks():
    # the people who may open the inbox are the ones a submission can be assigned to
    roles = roles_with(Capability.USE_BACKOFFICE)
    return User.objects.filter(is_active=True, role__in=roles).order_by("email")


@backoffice_site.admin_view
def inbox(request):
    params = request.GET
    page = services.list_inbox(
        actor=request.actor,
        page_number=params.get("page"),
        form_id=params.get("form", ""),
        status=params.get("status", ""),
        assigned=params.get("assigned", ""),
        date_from=_date(params.get("from", "")),
        date_to=_date(params.get("to", "")),
        search=params.get("q", ""),
        payment=params.get("payment", ""),
        unread_only=params.get("unread") == "1",
    )
    return render(
        request,
        "casework/inbox.html",
        {
            "page": page,
            "forms": Form.objects.order_by("slug"),
            "statuses": SubmissionStatus.choices,
            "clerks": _clerks(),
            "params": params,
        },
    )


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
