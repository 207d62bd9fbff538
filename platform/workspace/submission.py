"""The submission page of the workspace (`casework:detail`, /backoffice/inbox/<id>/): the answers
in the form's structure, uploads with previews, the payment, the hand-overs, the message thread,
internal notes, the status history and who opened the submission; the clerk's actions on it.

It lives in the workspace, above casework and payments (which do not know each other), because
it shows both; `platform/urls_tenant.py` mounts it under the casework namespace."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portalwerk.billing.payments.queries import latest_payments
from portalwerk.platform.accounts.models import User
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.queries import entries_for_object
from portalwerk.platform.authz.capabilities import (
    Capability,
    can_process_submissions,
    can_see_payments,
    can_view_deliveries,
    roles_with,
)
from portalwerk.platform.backoffice import backoffice_site
from portalwerk.platform.casework import notes, services
from portalwerk.platform.forms.access import get_submission_for_clerk
from portalwerk.platform.forms.models import SubmissionStatus, Upload
from portalwerk.platform.forms.services import revoke_submission_links
from portalwerk.platform.handover import queries as handover_queries
from portalwerk.platform.handover import services as handover
from portalwerk.platform.handover.reports import answers_for
from portalwerk.platform.workspace.answers import structured_answers

# what each action changes: its feedback is shown in (and takes the focus to) that section
SECTIONS = {
    "status": "status",
    "assign": "assignment",
    "message": "messages",
    "note": "notes",
    "revoke_links": "links",
    "retry_delivery": "handover",
    "resend_delivery": "handover",
}
DONE = {
    "status": gettext_lazy("The status has been changed."),
    "message": gettext_lazy("Your message has been sent to the citizen."),
    "note": gettext_lazy("Your note has been saved. Only staff can read it."),
    "assign": gettext_lazy("The assignment has been saved."),
    "revoke_links": gettext_lazy("All access links of this submission have been withdrawn."),
    "retry_delivery": gettext_lazy("The hand-over is being tried again."),
    "resend_delivery": gettext_lazy("The hand-over is being sent again."),
}
# the fields of the page's forms, for the error summary's links
FIELD_IDS = {
    "status": "#f-status",
    "body": "#f-body",
    "attachment": "#f-attachment",
    "assignee": "#f-assignee",
    "note_body": "#f-note-body",
}
# a status after which nothing can change any more: the page asks once more
FINAL = {SubmissionStatus.COMPLETED, SubmissionStatus.REJECTED}
VIEWERS_SHOWN = 20


def _messages(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "error_dict"):
        return {k: v[0].messages[0] for k, v in exc.error_dict.items()}
    return {"__all__": exc.messages[0]}


def _clerks():
    # the people who may open the inbox are the ones a submission can be assigned to
    roles = roles_with(Capability.USE_BACKOFFICE)
    return User.objects.filter(is_active=True, role__in=roles).order_by("email")


def _act(request, submission_id: int, action: str) -> None:
    post, actor = request.POST, request.actor
    if action == "status":
        services.change_status(
            actor=actor,
            submission_id=submission_id,
            status=post.get("status", ""),
            note=post.get("note", ""),
        )
    elif action == "message":
        services.send_message(
            actor=actor,
            submission_id=submission_id,
            body=post.get("body", ""),
            files=request.FILES.getlist("attachment"),
        )
    elif action == "note":
        notes.add_note(actor=actor, submission_id=submission_id, body=post.get("note_body", ""))
    elif action == "assign":
        value = post.get("assignee", "")
        services.assign_submission(
            actor=actor,
            submission_id=submission_id,
            assignee_id=int(value) if value.isdigit() and len(value) < 18 else None,
        )
    elif action == "revoke_links":
        revoke_submission_links(actor=actor, submission_id=submission_id)
    elif action in ("retry_delivery", "resend_delivery"):
        _delivery_action(request, submission_id, action)
    else:
        raise ValidationError(_("Unknown action."), code="unknown_action")


@backoffice_site.admin_view
def detail(request, submission_id: int):
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if request.POST.get("confirmed") != "yes":
            page = _confirmation(request, submission_id, action)
            if page is not None:
                return page
        try:
            _act(request, submission_id, action)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict") and exc.code == "not_found":
                raise Http404 from None
            errors = _messages(exc)
            status = 400
        else:
            messages.success(request, DONE[action], extra_tags=SECTIONS[action])
            # no #fragment: a page opened at one does not autofocus (HTML), and the feedback's
            # focus brings the section into view anyway
            return redirect("casework:detail", submission_id=submission_id)
    try:
        submission = services.open_submission(actor=request.actor, submission_id=submission_id)
    except ValidationError:
        raise Http404 from None
    return render(
        request,
        "casework/detail.html",
        {
            **_page(request, submission),
            "errors": [{"href": FIELD_IDS.get(k, ""), "message": m} for k, m in errors.items()],
            "field_errors": errors,
            "posted": request.POST if errors else {},
        },
        status=status,
    )


def _page(request, submission) -> dict:
    actor = request.actor
    # a message's attachments are shown with their message
    uploads = list(Upload.objects.filter(submission=submission, messages__isnull=True))
    names = {str(u.pk): u.name for u in uploads}
    audit = entries_for_object("submission", submission.reference, limit=50)
    payment = None
    if submission.fee_cents and can_see_payments(actor):
        payment = latest_payments([submission.pk]).get(submission.pk)
    return {
        "submission": submission,
        "answers": structured_answers(submission.version.spec, submission.answers, names),
        "uploads": uploads,
        "payment": payment,
        "messages_": submission.messages.select_related("author").prefetch_related("attachments"),
        "notes": notes.notes_of(submission),
        "history": submission.status_changes.select_related("actor"),
        "handover_answers": answers_for(submission),
        "audit": audit,
        "viewers": [e for e in audit if e.action == Action.SUBMISSION_OPENED][:VIEWERS_SHOWN],
        "next_statuses": [
            (value, SubmissionStatus(value).label)
            for value in sorted(services.TRANSITIONS.get(submission.status, set()))
        ],
        "clerks": _clerks(),
        "deliveries": _deliveries(request, submission),
    }


def _confirmation(request, submission_id: int, action: str):
    """The page that asks once more before what cannot be undone (a final status, withdrawing
    the access links), saying what will happen; None where nothing needs asking (the service
    then refuses what is not allowed)."""
    if not can_process_submissions(request.actor):
        return None
    try:
        submission = get_submission_for_clerk(request.actor, submission_id)
    except ValidationError:
        raise Http404 from None
    new_status = request.POST.get("status", "")
    final = new_status in FINAL and new_status in services.TRANSITIONS.get(submission.status, ())
    if not (action == "revoke_links" or (action == "status" and final)):
        return None
    return render(
        request,
        "casework/confirm.html",
        {
            "submission": submission,
            "action": action,
            "new_status": new_status,
            "new_status_label": SubmissionStatus(new_status).label if final else "",
            "note": request.POST.get("note", ""),
            "back": reverse("casework:detail", kwargs={"submission_id": submission_id}),
        },
    )


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
