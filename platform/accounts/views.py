"""Account pages. Each parses a form, calls one service function and shows the outcome."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from portalwerk.platform.accounts import profile as account_profile
from portalwerk.platform.accounts import services, signing_in, staff, tokens
from portalwerk.platform.accounts.errors import AccountErrorCode
from portalwerk.platform.accounts.forms import (
    AcceptInvitationForm,
    PasswordResetRequestForm,
    PostalAddressForm,
    SetPasswordForm,
    SignInForm,
    SignUpForm,
)
from portalwerk.platform.accounts.identity.registry import identity_providers
from portalwerk.platform.client import client_ip
from portalwerk.platform.mail import limits as mail_limits


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def _tenant_only(request) -> None:
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.is_platform:
        raise Http404


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    form = SignInForm(request.POST if request.method == "POST" else None)
    status, retry_after = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                user = signing_in.sign_in(
                    request=request,
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password"],
                )
            except ValidationError as exc:
                form.add_service_error(exc)
                if AccountErrorCode.TOO_MANY_ATTEMPTS in _codes(exc):
                    status, retry_after = 429, exc.error_list[0].params["seconds"]
            else:
                if not user.email_verified:
                    messages.warning(
                        request,
                        format_html(
                            '{} <a href="{}">{}</a>',
                            _("Your email address is not confirmed yet."),
                            reverse("accounts:verification"),
                            _("Confirm your email address"),
                        ),
                    )
                return redirect(_next_url(request))
    context = {
        "form": form,
        "next": _next_url(request),
        "elsewhere": _sign_in_elsewhere(request, _next_url(request)),
    }
    response = render(request, "accounts/sign_in.html", context, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _sign_in_elsewhere(request, next_url: str) -> list[tuple[str, str]]:
    """(label, link) of each enabled provider that signs people in on its own pages."""
    links = []
    for provider in identity_providers.enabled():
        link = provider.sign_in_link(request, next_url)
        if link:
            links.append((str(provider.sign_in_label), link))
    return links


@require_POST
def sign_out(request):
    """End the portal session, and the provider's session when the user came from one (it
    sends the browser back here afterwards)."""
    then = request.build_absolute_uri("/")
    elsewhere = None
    if request.user.is_authenticated:
        # Every enabled provider is asked, not only the one the user record names: a citizen
        # who came through a state account is recorded as "keycloak_state_account", and
        # Keycloak's session must end for them too (its provider finds its token in the session).
        for provider in identity_providers.enabled():
            elsewhere = provider.sign_out_url(request, then=then)
            if elsewhere:
                break
    logout(request)
    return redirect(elsewhere or "/")


@never_cache
@require_http_methods(["GET", "POST"])
def sign_up(request):
    _tenant_only(request)
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.register_citizen(
                    actor=request.actor, ip=client_ip(request), **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_service_error(exc)
                if mail_limits.is_too_many_mails(exc):
                    response = render(request, "accounts/sign_up.html", {"form": form}, status=429)
                    response["Retry-After"] = str(mail_limits.retry_after(exc))
                    return response
            else:
                return redirect("accounts:sign-up-done")
        return render(request, "accounts/sign_up.html", {"form": form}, status=400)
    return render(request, "accounts/sign_up.html", {"form": form})


def sign_up_done(request):
    _tenant_only(request)
    days = tokens.MAX_AGE[tokens.Purpose.VERIFY_EMAIL].days
    return render(request, "accounts/sign_up_done.html", {"days": days})


@never_cache
def verify_email(request, token: str):
    try:
        user = services.verify_email(actor=request.actor, token=token)
    except ValidationError as exc:
        return _link_problem(request, exc, "verify-email")
    return render(request, "accounts/email_verified.html", {"verified_user": user})


@never_cache
@require_http_methods(["GET", "POST"])
def verification(request):
    """The signed-in user's address: confirmed or not, and a button to mail a new link."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("accounts:sign-in"))
    if request.method == "POST":
        try:
            services.resend_verification(actor=request.actor, ip=client_ip(request))
        except ValidationError as exc:
            if AccountErrorCode.TOO_MANY_REQUESTS in _codes(exc) or (
                mail_limits.is_too_many_mails(exc)
            ):
                # Said openly with a 429: the user is signed in, so this reveals nothing.
                messages.error(request, exc.messages[0])
                response = render(request, "accounts/verification.html", status=429)
                response["Retry-After"] = str(exc.error_list[0].params["seconds"])
                return response
            messages.info(request, exc.messages[0])
        else:
            messages.success(request, _("We have sent you a new link. Please look in your inbox."))
        return redirect("accounts:verification")
    return render(request, "accounts/verification.html")


@never_cache
@require_http_methods(["GET", "POST"])
def profile(request):
    """My account: what the account holds, and the postal address forms are prefilled with."""
    _tenant_only(request)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("accounts:sign-in"))
    user = request.user
    if request.method != "POST":
        initial = {name: getattr(user, name) for name in account_profile.ADDRESS_FIELDS}
        return render(
            request, "accounts/profile.html", {"form": PostalAddressForm(initial=initial)}
        )
    form = PostalAddressForm(request.POST)
    if form.is_valid():
        try:
            account_profile.change_postal_address(
                actor=request.actor, user_id=user.pk, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Your address has been saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request):
    form = PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            # Over the limit, the service mails nothing and this answers as for any address.
            services.request_password_reset(
                actor=request.actor,
                email=form.cleaned_data["email"],
                ip=client_ip(request),
            )
            return redirect("accounts:password-reset-sent")
        return render(request, "accounts/password_reset.html", {"form": form}, status=400)
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_sent(request):
    hours = int(tokens.MAX_AGE[tokens.Purpose.RESET_PASSWORD].total_seconds() // 3600)
    return render(request, "accounts/password_reset_sent.html", {"hours": hours})


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_confirm(request, token: str):
    try:
        services.check_password_reset_token(token)
    except ValidationError as exc:
        return _link_problem(request, exc, "reset-password")
    return _choose_password(
        request,
        SetPasswordForm,
        lambda password: services.reset_password(
            actor=request.actor, token=token, password=password
        ),
        done=_("Your password has been changed. You can sign in with it now."),
        then=reverse("accounts:sign-in"),
        template="accounts/password_reset_confirm.html",
    )


@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token: str):
    """A staff invitation's link: choose a password, then sign in with it."""
    try:
        invited = staff.check_invitation(token)
    except ValidationError as exc:
        return _link_problem(request, exc, "accept-invitation")
    return _choose_password(
        request,
        AcceptInvitationForm,
        lambda password: staff.accept_invitation(
            actor=request.actor, token=token, password=password
        ),
        done=_("Your password is set. Sign in with it to open the back office."),
        then=f"{reverse('accounts:sign-in')}?next=/backoffice/",
        template="accounts/accept_invitation.html",
        context={"invited": invited},
    )


def _link_problem(request, exc: ValidationError, purpose: str):
    """The page for a link that is broken or expired (it says which, and how to get a new one)."""
    return render(
        request,
        "accounts/link_problem.html",
        {
            "error": exc,
            "expired": AccountErrorCode.TOKEN_EXPIRED in _codes(exc),
            "purpose": purpose,
        },
        status=400,
    )


def _choose_password(request, form_class, set_password, *, done, then, template, context=None):
    """A mailed link's password form: on success sign out whoever was signed in here, say `done`
    and go to `then`; otherwise show the form again with its errors (400)."""
    form = form_class(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                set_password(form.cleaned_data["password"])
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                if request.user.is_authenticated:
                    logout(request)
                messages.success(request, done)
                return redirect(then)
    return render(request, template, {"form": form, **(context or {})}, status=status)
