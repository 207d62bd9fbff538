"""The flow's pages: start (to Keycloak), callback (back from it), back-channel logout. Each calls
one function of `signing_in`/`logout` and shows its outcome; a refusal is a page saying why."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from portalwerk.platform.accounts.identity.contrib.keycloak import logout, signing_in
from portalwerk.platform.accounts.identity.contrib.keycloak.errors import KeycloakErrorCode as Code

#: refusals that are about the person's access rather than a broken or forged answer
FORBIDDEN = {
    Code.NOT_A_MEMBER,
    Code.NO_ROLE,
    Code.ACCOUNT_DISABLED,
    Code.EMAIL_TAKEN,
    Code.STATE_ACCOUNT_HERE,
}


def _next_url(request) -> str:
    target = request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _refused(request, error: ValidationError):
    codes = (
        {e.code for e in error.error_list}
        if not hasattr(error, "error_dict")
        else {e.code for errors in error.error_dict.values() for e in errors}
    )
    status = 503 if Code.UNAVAILABLE in codes else 403 if codes & FORBIDDEN else 400
    return render(request, "keycloak/refused.html", {"messages_of": error.messages}, status=status)


@never_cache
@require_GET
def sign_in(request):
    try:
        target = signing_in.begin(
            request,
            next_url=_next_url(request),
            level=request.GET.get("level") or None,  # the contract of `sign_in_link`
            kind=request.GET.get("kind") or None,
        )
        return redirect(target)
    except ValidationError as exc:
        return _refused(request, exc)


@never_cache
@require_GET
def callback(request):
    try:
        _user, next_url = signing_in.finish(request, request.GET)
    except ValidationError as exc:
        return _refused(request, exc)
    return redirect(next_url)


@csrf_exempt  # Keycloak posts here from its server; the logout token's signature is the check
@require_POST
def back_channel_logout(request):
    try:
        logout.end_sessions(request.POST.get("logout_token", ""))
    except ValidationError:
        response = HttpResponse(status=400)
    else:
        response = HttpResponse(status=200)
    response["Cache-Control"] = "no-store"
    return response
