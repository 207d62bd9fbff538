"""The clerk inbox on the tenant host, under /backoffice/inbox/ behind the back office sign-in."""

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
from portalwerk.platform.audit.queries import entries_for_object
from portalwerk.platform.authz.capabilities import (
    Capability,
    can_view_deliveries,
    roles_with,
)
from portalwerk.platform.backoffice import backoffice_site
from portalwerk.platform.casework import export as export_module
from portalwerk.platform.casework import services
from portalwerk.platform.forms.models import SubmissionStatus, Upload
from portalwerk.platform.forms.services import revoke_submission_links
from portalwerk.platform.handover import queries as handover_queries
from portalwerk.platform.handover import services as handover
from portalwerk.platform.handover.reports import answers_for


def _messages(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "error_dict"):
        return {k: v[0].messages[0] for k, v in exc.error_dict.items()}
    return {"__all__": exc.messages[0]}


def _clerks():
    # the people who may open the inbox are the ones a submission can be assigned to
    roles = roles_with(Capability.USE_BACKOFFICE)
    return User.objects.filter(is_active=True, role__in=roles).order_by("email")


def submission_audit(submission):
    return entries_for_object("submission", submission.reference, limit=50)


@backoffice_site.admin_view
def detail(request, submission_id: int):
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "status":
                services.change_status(
                    actor=request.actor,
                    submission_id=submission_id,
                    status=request.POST.get("status", ""),
                    note=request.POST.get("note", ""),
                )
            elif action == "message":
                services.send_message(
                    actor=request.actor,
                    submission_id=submission_id,
                    body=request.POST.get("body", ""),
                    files=request.FILES.getlist("attachment"),
                )
            elif action == "assign":
                value = request.POST.get("assignee", "")
                services.assign_submission(
                    actor=request.actor,
                    submission_id=submission_id,
                    assignee_id=int(value) if value.isdigit() else None,
                )
            elif action == "revoke_links":
                revoke_submission_links(actor=request.actor, submission_id=submission_id)
            elif action in ("retry_delivery", "resend_delivery"):
                _delivery_action(request, submission_id, action)
            else:
                raise ValidationError(_("Unknown action."), code="unknown_action")
            done = {
                "status": _("The status has been changed."),
                "message": _("Your message has been sent to the citizen."),
                "assign": _("The assignment has been saved."),
                "revoke_links": _("All access links of this submission have been withdrawn."),
                "retry_delivery": _("The hand-over is being tried again."),
                "resend_delivery": _("The hand-over is being sent again."),
            }
            messages.success(request, done[action])
        except ValidationError as exc:
            if not hasattr(exc, "error_dict") and exc.code == "not_found":
                raise Http404 from None
            errors = _messages(exc)
            status = 400
        else:
            return redirect("casework:detail", submission_id=submission_id)
    try:
        submission = services.open_submission(actor=request.actor, submission_id=submission_id)
    except ValidationError:
        raise Http404 from None
    spec = submission.version.spec
    names = {
        str(k): v for k, v in Upload.objects.filter(submission=submission).values_list("pk", "name")
    }
    summary = spec.summary(submission.answers, None, names)
    return render(
        request,
        "casework/detail.html",
        {
            "submission": submission,
            "summary": summary,
            "uploads": Upload.objects.filter(submission=submission, messages__isnull=True),
            "messages_": submission.messages.select_related("author").prefetch_related(
                "attachments"
            ),
            "history": submission.status_changes.select_related("actor"),
            "handover_answers": answers_for(submission),
            "audit": submission_audit(submission),
            "next_statuses": [
                (value, SubmissionStatus(value).label)
                for value in sorted(services.TRANSITIONS.get(submission.status, set()))
            ],
            "clerks": _clerks(),
            "deliveries": _deliveries(request, submission),
            "errors": [{"href": FIELD_IDS.get(k, ""), "message": m} for k, m in errors.items()],
            "status_error": errors.get("status", ""),
        },
        status=status,
    )


# the fields of the detail page's forms, for the error summary's links
FIELD_IDS = {"status": "#f-status", "body": "#f-body", "assignee": "#f-assignee"}


def _delivery_action(request, submission_id: int, action: str) -> None:
    # a delivery of another submission is not this page's: the same "not found" as any other
    delivery = request.POST.get("delivery", "")
    if (
        not handover_queries.deliveries_of(submission_id)
        .filter(pk=int(delivery) if delivery.isdigit() and len(delivery) < 18 else 0)
        .exists()
    ):
        raise ValidationError(_("This delivery does not exist."), code="not_found")
    service = handover.retry_delivery if action == "retry_delivery" else handover.resend_delivery
    service(actor=request.actor, delivery_id=delivery)


def _deliveries(request, submission) -> list:
    if not can_view_deliveries(request.actor):
        return []
    return handover_queries.described(handover_queries.deliveries_of(submission.pk))


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
