"""The pages around access links: opening one (then the application's own page takes over),
asking for a fresh one, and adding applications made without an account to one's account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portalwerk.platform.client import client_ip
from portalwerk.platform.forms import links, services
from portalwerk.platform.forms.errors import FormErrorCode
from portalwerk.platform.forms.views import _is_rate_limited, _lang, _messages


def _codes(exc: ValidationError) -> set[str]:
    errors = exc.error_dict.values() if hasattr(exc, "error_dict") else [exc.error_list]
    return {e.code for group in errors for e in group}


def _no_referrer(response):
    # The address that answered carries the token: the redirect passes no Referer on. (Only
    # here: a page with this policy sends "Origin: null" with its forms, which CSRF refuses.)
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
def open_link(request, token: str):
    """Check the link and let this browser in; the token never reaches another page. Every
    answer is a redirect, so no error response (which Django logs with its path) names it."""
    try:
        link = services.open_submission_link(actor=request.actor, token=token)
    except ValidationError as exc:
        problem = "expired" if FormErrorCode.ACCESS_LINK_EXPIRED in _codes(exc) else "invalid"
        return _no_referrer(redirect(f"{reverse('forms:new-link')}?problem={problem}"))
    if not request.user.is_authenticated:
        # A new session id for the new right (no session fixation); a signed-in user keeps theirs.
        request.session.cycle_key()
    links.grant(request.session, link)
    return _no_referrer(redirect("forms:my-application", reference=link.submission.reference))


@never_cache
@require_http_methods(["GET", "POST"])
def new_link(request):
    """Ask for a new access link with the reference number and the email address."""
    problem = request.GET.get("problem", "")
    errors: dict[str, str] = {}
    status = 200
    sent = request.GET.get("sent") == "1"
    if request.method == "POST":
        try:
            services.request_submission_link(
                actor=request.actor,
                reference=request.POST.get("reference", ""),
                email=request.POST.get("email", ""),
                ip=client_ip(request),
            )
        except ValidationError as exc:
            errors = _messages(exc)
            status = 429 if _is_rate_limited(exc) else 400
        else:
            return redirect(f"{reverse('forms:new-link')}?sent=1")
    response = render(
        request,
        "forms/new_link.html",
        {
            "problem": problem if problem in ("expired", "invalid") else "",
            "sent": sent,
            "days": links.link_days(),
            "reference": request.POST.get("reference", ""),
            "email": request.POST.get("email", ""),
            "errors": [
                {"href": f"#f-{key}" if key else "", "message": message}
                for key, message in errors.items()
            ],
            "reference_error": errors.get("reference", ""),
            "email_error": errors.get("email", ""),
        },
        status=status,
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def claim(request):
    """Applications made without an account with this verified address: the citizen chooses
    which join the account. Nothing joins without this confirmation."""
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            added = services.claim_submissions(
                actor=request.actor, references=request.POST.getlist("reference")
            )
        except ValidationError as exc:
            errors = _messages(exc)
            status = 400
        else:
            messages.success(
                request,
                ngettext(
                    "One application has been added to your account.",
                    "%(n)s applications have been added to your account.",
                    len(added),
                )
                % {"n": len(added)},
            )
            return redirect("forms:my-applications")
    return render(
        request,
        "forms/claim.html",
        {
            "submissions": list(services.claimable_submissions(request.actor)),
            "verified": request.user.email_verified,
            "lang": _lang(),
            "errors": [{"href": "#claim-list", "message": m} for m in errors.values()],
        },
        status=status,
    )
