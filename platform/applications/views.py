"""A citizen's applications across the apps that work on them: the submit step and what
follows it (the payment step when there is a fee), the list of one's applications and the page of
one (status, messages with the office, payment), and file downloads (recorded when a clerk
downloads). An applicant without an account reaches their page through an access link
(`forms.links`; pages in `links_views`).

A channel above forms, casework and payments: it composes them, and none of them imports it
(docs/decisions/0011-layers-and-shared-homes.md). Its URLs keep their names in the `forms`
namespace (`platform/urls_tenant.py` joins them); the templates stay with the forms app."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portalwerk.billing.payments.queries import latest_payments
from portalwerk.platform.authz.actors import link_holder
from portalwerk.platform.authz.capabilities import can_read_submissions
from portalwerk.platform.casework import services as casework
from portalwerk.platform.casework.services import record_download
from portalwerk.platform.client import client_ip
from portalwerk.platform.forms import access, links, rendering, services
from portalwerk.platform.forms import uploads as upload_store
from portalwerk.platform.forms.fees import fee_for_answers, format_fee
from portalwerk.platform.forms.models import Draft, Submission
from portalwerk.platform.forms.views import (
    DRAFTS_KEY,
    SUBMISSIONS_KEY,
    _draft,
    _file_names,
    _is_rate_limited,
    _lang,
    _messages,
    _owned,
    _remember,
    _submission,
    applicant_actor,
    body_too_large,
    sign_in_needed,
    sign_in_needed_for,
    signed_in_with,
)
from portalwerk.platform.handover import reports as handover
from portalwerk.platform.handover.answers import CONTENT_TYPES
from portalwerk.tenants.models import Module
from portalwerk.tenants.modules import is_on


def _after_submit(request, submission):
    """A submission with a fee goes on to the payment step (the submit service has decided its
    hand-over); one without, or where the tenant takes no payments online, to the
    confirmation."""
    if submission.fee_cents > 0 and is_on(Module.PAYMENTS):
        return redirect("payments:pay", reference=submission.reference)
    return redirect("forms:done", reference=submission.reference)


@require_http_methods(["GET", "POST"])
def check(request, slug: str, draft_id):
    try:
        draft = _draft(request, slug, draft_id)
    except Http404:
        # Submitted already (a double click, a retried request): show the one submission.
        try:
            made = services.earlier_submission(
                actor=request.actor,
                draft_id=draft_id,
                owned_submissions=_owned(request, SUBMISSIONS_KEY),
            )
        except ValidationError:
            raise Http404 from None
        return _after_submit(request, made)
    spec = draft.version.spec
    lang = _lang()
    missing = [s for s in spec.active_steps(draft.answers) if s.key not in draft.completed_steps]
    if missing:
        return redirect("forms:step", slug=slug, draft_id=draft.pk, step_key=missing[0].key)
    if request.method == "GET":
        refused = sign_in_needed_for(request, spec, request.path)
        if refused is not None:
            return refused
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            submission = services.submit_draft(
                actor=request.actor,
                draft=draft,
                idempotency_key=request.POST.get("idempotency_key", ""),
                client_ip=client_ip(request),
                signed_in_with=signed_in_with(request),
            )
        except ValidationError as exc:
            refused = sign_in_needed(request, exc, request.path)
            if refused is not None:
                return refused
            errors = _messages(exc)
            status = 429 if _is_rate_limited(exc) else 409 if "" in errors else 400
        else:
            _remember(request, SUBMISSIONS_KEY, submission.reference)
            return _after_submit(request, submission)
    summary = spec.summary(draft.answers, lang, _file_names(draft))
    for section in summary:
        for row in section["rows"]:
            row["change_url"] = (
                reverse(
                    "forms:step",
                    kwargs={"slug": slug, "draft_id": draft.pk, "step_key": section["step"].key},
                )
                + "?return=check#"
                + rendering.html_id(row["key"])
            )
    fee = fee_for_answers(spec, draft.answers, services.upload_lookup(draft))
    form = draft.version.form
    return render(
        request,
        "forms/check.html",
        {
            "form": form,
            "form_title": form.title_text(lang),
            "draft": draft,
            "summary": summary,
            "fee": format_fee(fee) if spec.needs_payment else "",
            "errors": [{"href": "", "message": m} for m in errors.values()],
            "idempotency_key": uuid.uuid4().hex,
        },
        status=status,
    )


def download(request, upload_id):
    """A file, to whoever may see it (never by a public URL)."""
    owned = _owned(request, DRAFTS_KEY) + _owned(request, SUBMISSIONS_KEY)
    upload = None
    # The request's actor, else the link holder of each submission this browser opened by link.
    holders = [link_holder(ref) for ref in links.granted_references(request.session)]
    for actor in [request.actor, *holders]:
        try:
            upload = access.get_upload_for(actor, upload_id, owned)
            break
        except ValidationError:
            continue
    if upload is None:
        raise Http404
    if can_read_submissions(request.actor) and upload.submission_id:
        record_download(actor=request.actor, upload=upload)
    handle = upload_store.storage().open(upload.stored_name, "rb")
    response = FileResponse(handle, content_type=upload.content_type)
    response["Content-Disposition"] = f'attachment; filename="{upload.name}"'
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def my_applications(request):
    submissions = Submission.objects.filter(user=request.user, anonymised_at__isnull=True)
    submissions = list(submissions.select_related("form").order_by("-submitted_at"))
    payments = latest_payments([s.pk for s in submissions if s.fee_cents])
    answers = handover.answers_by_submission([s.pk for s in submissions])
    for submission in submissions:
        submission.latest_payment = payments.get(submission.pk)
        submission.answers = answers[submission.pk]
    drafts = Draft.objects.filter(user=request.user).select_related("version__form")
    return render(
        request,
        "forms/my_applications.html",
        {
            "submissions": submissions,
            "drafts": drafts,
            "lang": _lang(),
            "claimable": services.claimable_submissions(request.actor).count(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def my_application(request, reference: str):
    """One application: for its signed-in owner, or whoever opened one of its access links in
    this browser (a link holder); anyone else is asked to sign in, as before."""
    actor = applicant_actor(request, reference)
    if actor.is_anonymous:
        return redirect_to_login(request.get_full_path())
    submission = _submission(request, reference)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST" and body_too_large(request):
        errors, status = {"attachment": _("The file is too large. Upload a smaller file.")}, 413
    elif request.method == "POST":
        try:
            casework.reply_to_office(
                actor=actor,
                submission=submission,
                body=request.POST.get("body", ""),
                files=request.FILES.getlist("attachment"),
            )
        except ValidationError as exc:
            errors = _messages(exc)
            status = 400
        else:
            return redirect("forms:my-application", reference=reference)
    messages = submission.messages.prefetch_related("attachments").order_by("created_at")
    payment = latest_payments([submission.pk]).get(submission.pk) if submission.fee_cents else None
    return render(
        request,
        "forms/my_application.html",
        {
            "submission": submission,
            "form_title": submission.form.title_text(_lang()),
            "messages_": messages,
            "payment": payment,
            "answers": handover.answers_for(submission),
            "by_link": actor.is_link_holder,
            "link_days": links.link_days(),
            "errors": [{"href": "#f-" + (k or "body"), "message": m} for k, m in errors.items()],
            "body_error": errors.get("body", ""),
            "file_error": errors.get("attachment", ""),
        },
        status=status,
    )


@never_cache
def report_document(request, reference: str, report_id: int):
    """A document the office's system sent with a message (a notice from the DMS), to whoever
    may see the application's page."""
    submission = _submission(request, reference)
    report = handover.document_of(submission, report_id)
    if report is None:
        raise Http404
    response = HttpResponse(
        bytes(report.document), content_type=CONTENT_TYPES[report.document_kind]
    )
    response["Content-Disposition"] = f'attachment; filename="{report.document_name}"'
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
