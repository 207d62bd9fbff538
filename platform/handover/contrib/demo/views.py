"""The demo back office's pages on the base host, for platform operators: the applications
that arrived, one application with its files, and the answer form. No JavaScript."""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portalwerk.platform.authz.capabilities import can_operate_platform
from portalwerk.platform.handover.contrib.demo import services
from portalwerk.platform.handover.contrib.demo.models import DemoFile, DemoParcel

FIELDS = ("case_number", "status", "message", "document")


def operators_only(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:sign-in')}?{query}")
        tenant = getattr(request, "tenant", None)
        if tenant is None or not tenant.is_platform or not can_operate_platform(request.actor):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@operators_only
def inbox(request):
    parcels = DemoParcel.objects.prefetch_related("demo_answers")[:200]
    return render(request, "demo_backoffice/inbox.html", {"parcels": parcels})


@operators_only
@require_http_methods(["GET", "POST"])
def parcel(request, parcel_id: int):
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            answer = services.answer_parcel(
                actor=request.actor,
                parcel_id=parcel_id,
                case_number=request.POST.get("case_number", ""),
                status=request.POST.get("status", ""),
                message=request.POST.get("message", ""),
                document=request.FILES.get("document"),
            )
        except ValidationError as exc:
            errors = _errors(exc)
            status = 400
        else:
            _tell(request, answer)
            return redirect("demo_backoffice:parcel", parcel_id=parcel_id)
    try:
        found = services.get_parcel_for(request.actor, parcel_id)
    except ValidationError:
        raise Http404 from None
    answers = list(found.demo_answers.defer("document"))
    return render(
        request,
        "demo_backoffice/parcel.html",
        {
            "parcel": found,
            "files": found.files.defer("content"),
            "answers": answers,
            "statuses": services.statuses(),
            "case_number": request.POST.get("case_number")
            or (answers[-1].case_number if answers else found.case_number),
            "posted": request.POST,
            "field_errors": errors,
            "errors": [
                {"href": f"#f-{field}" if field in FIELDS else "", "message": message}
                for field, message in errors.items()
            ],
        },
        status=status,
    )


@operators_only
@require_POST
def send_again(request, parcel_id: int, answer_id: int):
    try:
        answer = services.send_again(actor=request.actor, parcel_id=parcel_id, answer_id=answer_id)
    except ValidationError:
        raise Http404 from None
    _tell(request, answer)
    return redirect("demo_backoffice:parcel", parcel_id=parcel_id)


@operators_only
def download(request, parcel_id: int, file_id: int):
    try:
        services.get_parcel_for(request.actor, parcel_id)
    except ValidationError:
        raise Http404 from None
    file = DemoFile.objects.filter(pk=file_id, parcel_id=parcel_id).first()
    if file is None:
        raise Http404
    response = HttpResponse(
        bytes(file.content),
        content_type=services.CONTENT_TYPES.get(file.kind, "application/octet-stream"),
    )
    response["Content-Disposition"] = f'attachment; filename="{file.name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _tell(request, answer) -> None:
    if answer.accepted:
        messages.success(request, _("The portal has taken the answer."))
    else:
        messages.error(
            request,
            _("The portal did not take the answer (%(detail)s). You can send it again.")
            % {"detail": answer.last_detail},
        )


def _errors(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "error_dict"):
        return {field: errors[0].messages[0] for field, errors in exc.error_dict.items()}
    return {"__all__": exc.messages[0]}
