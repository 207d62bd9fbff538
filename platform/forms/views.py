"""The citizen's pages of a form: one step per page, confirmation, receipt, save and return.
Server-rendered; no JavaScript needed. Check answers and submit, downloads and "my applications"
need casework and payments too and live above them in `portalwerk.platform.applications`."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portalwerk.platform.accounts.identity import assurance
from portalwerk.platform.accounts.identity.registry import identity_providers
from portalwerk.platform.client import client_ip
from portalwerk.platform.forms import access, links, rendering, services, throttle
from portalwerk.platform.forms.fees import fee_range, format_fee
from portalwerk.platform.forms.models import Submission, Upload
from portalwerk.platform.forms.receipts import receipt_of
from portalwerk.platform.forms.services.signing_in import (
    refusal,
    requirement_text,
    sign_in_refusal,
)
from portalwerk.platform.mail import limits as mail_limits

DRAFTS_KEY = access.DRAFTS_KEY
SUBMISSIONS_KEY = access.SUBMISSIONS_KEY


def _owned(request, key: str) -> list[str]:
    return access.owned(request.session, key)


def _remember(request, key: str, value: str) -> None:
    access.remember(request.session, key, value)


def _lang() -> str:
    return (get_language() or "de")[:2]


def _messages(exc: ValidationError) -> dict[str, str]:
    """A ValidationError from a service as {path: message} (first message per path)."""
    if hasattr(exc, "error_dict"):
        return {
            ("" if path == "__all__" else path): errors[0].messages[0]
            for path, errors in exc.error_dict.items()
        }
    return {"": exc.messages[0]}


def body_too_large(request) -> bool:
    """A request body larger than one upload (plus the form's fields) is refused before Django
    reads it, so an oversize file never lands on the disk."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.PORTALWERK_UPLOAD_MAX_BYTES + 1_000_000


def _is_rate_limited(exc: ValidationError) -> bool:
    return any(e.code == "rate_limited" for errors in _errors_of(exc) for e in errors)


def _errors_of(exc: ValidationError):
    return exc.error_dict.values() if hasattr(exc, "error_dict") else [exc.error_list]


def _too_many(request, exc: ValidationError):
    message = next(iter(_messages(exc).values()))
    response = render(request, "forms/too_many.html", {"message": message}, status=429)
    response["Retry-After"] = str(throttle.WINDOW_SECONDS)
    return response


def signed_in_with(request) -> assurance.SignedInWith:
    """The session's sign-in, which every write on a draft passes to its service."""
    return assurance.current(request.session)


def sign_in_links(request, next_url: str, level: str, kind: str) -> list[tuple[str, str]]:
    """(label, link) of each enabled identity provider that offers a sign-in this strong."""
    found = []
    for provider in identity_providers.enabled():
        link = provider.sign_in_link(
            request,
            next_url,
            level=None if level == assurance.Level.NONE else level,
            kind=kind or None,
        )
        if link:
            found.append((str(provider.sign_in_label), link))
    return found


def sign_in_needed(request, exc: ValidationError, next_url: str):
    """The page of a write refused for its sign-in (`signing_in.sign_in_refusal`), or None
    when `exc` is another refusal: what is needed and why, and where to sign in so."""
    needed = sign_in_refusal(exc)
    if needed is None:
        return None
    context = {
        "message": next(iter(_messages(exc).values())),
        "links": sign_in_links(request, next_url, needed.get("level", ""), needed.get("kind", "")),
        "next_url": next_url,
    }
    return render(request, "forms/sign_in_needed.html", context, status=403)


def sign_in_needed_for(request, spec, next_url: str):
    """The refusal page, shown before a citizen answers what the services would refuse from
    this sign-in (the session dropped below the form's requirement); None when it is enough."""
    error = refusal(spec.sign_in, signed_in_with(request))
    return None if error is None else sign_in_needed(request, error, next_url)


def _draft(request, slug: str, draft_id):
    try:
        draft = access.get_draft_for(request.actor, draft_id, _owned(request, DRAFTS_KEY))
    except ValidationError:
        raise Http404 from None
    if draft.version.form.slug != slug:
        raise Http404
    return draft


def _file_names(draft) -> dict[str, str]:
    return {
        str(pk): name for pk, name in Upload.objects.filter(draft=draft).values_list("pk", "name")
    }


def index(request):
    from portalwerk.platform.forms.engine.specs import localize
    from portalwerk.platform.forms.queries import district_forms, published_forms

    lang = _lang()
    forms = [
        {
            "url": reverse("forms:start", kwargs={"slug": f.slug}),
            "title": f.title_text(lang),
            "description": f.description_text(lang),
        }
        for f in published_forms()
    ]
    own = {f.slug for f in published_forms()}
    forms += [
        {
            "url": f.url,
            "title": localize(f.title, lang),
            "description": localize(f.description, lang),
            "provider": f.district,
        }
        for f in district_forms(request.tenant)
        if f.slug not in own
    ]
    return render(request, "forms/index.html", {"forms": forms})


def start(request, slug: str):
    try:
        form = access.get_published_form(slug)
    except ValidationError:
        # one route per service: the district's form is started on the district's portal
        from portalwerk.platform.forms.queries import district_forms

        found = district_forms(request.tenant, slug=slug)
        if found:
            return redirect(found[0].url)
        raise Http404 from None
    version = form.published_version
    spec = version.spec
    if request.method == "POST":
        try:
            draft = services.start_draft(
                actor=request.actor,
                form=form,
                client_ip=client_ip(request),
                signed_in_with=signed_in_with(request),
            )
        except ValidationError as exc:
            if _is_rate_limited(exc):
                return _too_many(request, exc)
            refused = sign_in_needed(request, exc, request.path)
            if refused is not None:
                return refused
            raise Http404 from None
        _remember(request, DRAFTS_KEY, str(draft.pk))
        first = spec.next_step(draft.answers, None)
        return redirect("forms:step", slug=slug, draft_id=draft.pk, step_key=first.key)
    drafts = []
    if request.user.is_authenticated:
        from portalwerk.platform.forms.models import Draft

        drafts = list(
            Draft.objects.filter(
                user=request.user, version__form=form, expires_at__gt=timezone.now()
            ).order_by("-updated_at")[:3]
        )
    not_enough = refusal(spec.sign_in, signed_in_with(request))
    return render(
        request,
        "forms/start.html",
        {
            "sign_in_text": requirement_text(spec.sign_in),
            "sign_in_links": (
                sign_in_links(request, request.path, spec.sign_in.level, spec.sign_in.account)
                if not_enough is not None
                else None
            ),
            "form": form,
            "title": form.title_text(_lang()),
            "description": form.description_text(_lang()),
            "steps": [s.title_text(_lang()) for s in spec.steps],
            "needs_payment": spec.needs_payment,
            "fee": fee_range(spec),
            "drafts": drafts,
        },
    )


@require_http_methods(["GET", "POST"])
def step(request, slug: str, draft_id, step_key: str):
    draft = _draft(request, slug, draft_id)
    spec = draft.version.spec
    current = spec.step(step_key)
    if current is None or current.is_skipped(draft.answers):
        raise Http404
    if not services.step_is_available(draft, step_key):
        first_open = next(
            s for s in spec.active_steps(draft.answers) if s.key not in draft.completed_steps
        )
        return redirect("forms:step", slug=slug, draft_id=draft.pk, step_key=first_open.key)
    if request.method == "GET":
        refused = sign_in_needed_for(request, spec, request.path)
        if refused is not None:
            return refused
    errors: dict[str, str] = {}
    values = draft.answers
    status = 200
    if request.method == "POST" and body_too_large(request):
        errors = {"": _("The file is too large. Upload a smaller file.")}
        return _render_step(request, draft, current, values, errors, 413)
    if request.method == "POST":
        action = request.POST.get("action", "continue")
        if not draft.version.accepts_submissions:
            errors = {"": _("This form has been taken offline by the office. Nothing was saved.")}
            status = 409
        else:
            stored: dict[str, str] = {}

            def store_file(path, file):
                upload = services.store_upload(
                    actor=request.actor,
                    draft=draft,
                    field_key=path,
                    file=file,
                    signed_in_with=signed_in_with(request),
                )
                stored[path] = str(upload.pk)
                return str(upload.pk)

            try:
                raw = rendering.read_post(current, request.POST, request.FILES, values, store_file)
            except ValidationError as exc:
                refused = sign_in_needed(request, exc, request.path)
                if refused is not None:
                    return refused
                raw = rendering.read_post(
                    current, request.POST, {}, values, lambda path, file: None
                )
                errors = _messages(exc)
                values = {**values, **raw}
                status = 400
            else:
                values = {**values, **raw}
                if action.startswith(GROUP_ACTIONS):
                    values, focus = _change_items(current, values, action)
                    # keep what was typed so far without validating, so nothing is lost
                    return _render_step(request, draft, current, values, {}, 200, focus)
                if action == "save":
                    try:
                        services.keep_step_answers(
                            actor=request.actor,
                            draft=draft,
                            step_key=step_key,
                            raw=raw,
                            signed_in_with=signed_in_with(request),
                        )
                    except ValidationError as exc:
                        refused = sign_in_needed(request, exc, request.path)
                        if refused is not None:
                            return refused
                        # only answers beyond the bounds (a NUL, far too much) stop a draft
                        return _render_step(request, draft, current, values, _messages(exc), 400)
                    return redirect("forms:save", slug=slug, draft_id=draft.pk)
                try:
                    draft = services.save_step(
                        actor=request.actor,
                        draft=draft,
                        step_key=step_key,
                        raw=raw,
                        strict=False,
                        signed_in_with=signed_in_with(request),
                    )
                except ValidationError as exc:
                    refused = sign_in_needed(request, exc, request.path)
                    if refused is not None:
                        return refused
                    errors = _messages(exc)
                    status = 400
                else:
                    if action == "save":
                        return redirect("forms:save", slug=slug, draft_id=draft.pk)
                    following = spec.next_step(draft.answers, step_key)
                    if following is None or request.GET.get("return") == "check":
                        return redirect("forms:check", slug=slug, draft_id=draft.pk)
                    return redirect(
                        "forms:step", slug=slug, draft_id=draft.pk, step_key=following.key
                    )
    return _render_step(request, draft, current, values, errors, status)


# Buttons inside a repeating group. Removing asks first ("remove"), then removes
# ("confirm-remove") or keeps the entry ("keep"); the page focuses what changed.
GROUP_ACTIONS = ("add:", "remove:", "confirm-remove:", "keep:")


def _change_items(current, values: dict, action: str) -> tuple[dict, dict]:
    parts = action.split(":")
    field = next((f for f in current.fields if f.key == parts[1] and f.type == "repeat"), None)
    if field is None:
        return values, {}
    items = list(values.get(field.key) or [])
    index = int(parts[2]) if len(parts) == 3 and parts[2].isdigit() else None
    focus: dict = {"field": field.key}
    if parts[0] == "add" and len(items) < field.max_items:
        items.append({})
        focus["item"] = len(items) - 1
    elif index is None or index >= len(items):
        pass
    elif parts[0] == "remove":
        focus["confirm"] = index
    elif parts[0] == "confirm-remove":
        items.pop(index)
        focus["removed"] = index + 1
    elif parts[0] == "keep":
        focus["item"] = index
    return {**values, field.key: items}, focus


def _render_step(request, draft, current, values, errors, status, focus=None):
    spec = draft.version.spec
    lang = _lang()
    fields = rendering.step_context(current, values, errors, lang, _file_names(draft))
    previous = spec.previous_step(draft.answers, current.key)
    active = spec.active_steps(draft.answers)
    position = next((i for i, s in enumerate(active) if s.key == current.key), 0)
    form = draft.version.form
    return render(
        request,
        "forms/step.html",
        {
            "form": form,
            "form_title": form.title_text(lang),
            "draft": draft,
            "step": current,
            "step_title": current.title_text(lang),
            "fields": fields,
            "errors": rendering.error_list(errors, rendering.paths_in_order(fields)),
            "previous": previous,
            "position": position + 1,
            "total": len(active),
            "return_to_check": request.GET.get("return") == "check",
            "focus": focus or {},
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def save(request, slug: str, draft_id):
    """Save and come back later: signed-in citizens find the draft under their account; anyone
    can have a resume link sent by email."""
    draft = _draft(request, slug, draft_id)
    errors: dict[str, str] = {}
    sent_to = ""
    status = 200
    if request.method == "POST":
        email = request.POST.get("email", "")
        try:
            services.send_resume_link(
                actor=request.actor, draft=draft, email=email, ip=client_ip(request)
            )
        except ValidationError as exc:
            errors = _messages(exc)
            status = 429 if mail_limits.is_too_many_mails(exc) else 400
        else:
            sent_to = email
    form = draft.version.form
    return render(
        request,
        "forms/save.html",
        {
            "form": form,
            "form_title": form.title_text(_lang()),
            "draft": draft,
            "errors": [{"href": "#f-email", "message": m} for m in errors.values()],
            "error": next(iter(errors.values()), ""),
            "email": request.POST.get(
                "email", request.user.email if request.user.is_authenticated else ""
            ),
            "sent_to": sent_to,
            "expires_at": draft.expires_at,
        },
        status=status,
    )


def resume(request, token: str):
    try:
        draft = services.resume_draft(actor=request.actor, token=token)
    except ValidationError as exc:
        return render(
            request, "forms/resume_invalid.html", {"message": _messages(exc).get("")}, status=404
        )
    _remember(request, DRAFTS_KEY, str(draft.pk))
    spec = draft.version.spec
    missing = [s for s in spec.active_steps(draft.answers) if s.key not in draft.completed_steps]
    slug = draft.version.form.slug
    if missing:
        return redirect("forms:step", slug=slug, draft_id=draft.pk, step_key=missing[0].key)
    return redirect("forms:check", slug=slug, draft_id=draft.pk)


def applicant_actor(request, reference: str):
    """Who asks for the submission `reference`: the link holder when this browser opened one of
    its valid access links (and nobody is signed in who owns it), else the request's actor."""
    actor = request.actor
    if (
        actor.is_signed_in
        and Submission.objects.filter(reference=reference, user_id=actor.user_id).exists()
    ):
        return actor
    return links.holder_for(request.session, reference) or actor


def _submission(request, reference: str) -> Submission:
    try:
        return access.get_submission_for(
            applicant_actor(request, reference), reference, _owned(request, SUBMISSIONS_KEY)
        )
    except ValidationError:
        raise Http404 from None


def done(request, reference: str):
    submission = _submission(request, reference)
    return render(
        request,
        "forms/done.html",
        {
            "submission": submission,
            "form_title": submission.form.title_text(_lang()),
            "fee": format_fee(submission.fee_cents) if submission.fee_cents else "",
            "receipt": receipt_of(submission),
        },
    )


def receipt(request, reference: str):
    """The receipt as it was made at submit (the same bytes as the mailed copy)."""
    submission = _submission(request, reference)
    pdf = bytes(receipt_of(submission).pdf)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{submission.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
