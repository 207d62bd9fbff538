from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portalwerk.platform.accounts.forms import SignInForm


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def sign_in(request):
    form = SignInForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(
            request,
            form.user,
            backend="portalwerk.platform.accounts.identity.backend.IdentityBackend",
        )
        return redirect(_next_url(request))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accounts/sign_in.html", {"form": form, "next": _next_url(request)}, status=status
    )


@require_POST
def sign_out(request):
    logout(request)
    return redirect("/")
