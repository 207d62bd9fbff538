"""The tenant admin's staff pages in the back office: the list with the invitation form, and one
page per staff member (role, finance, deactivate, reactivate, invitation again). Each POST calls
one function of `accounts.staff` and comes back here (post, redirect, get)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from portalwerk.platform.accounts import staff
from portalwerk.platform.accounts.forms import AccessibleForm
from portalwerk.platform.authz.capabilities import can_manage_staff
from portalwerk.platform.backoffice import backoffice_site

ROLE_CHOICES = [(name, label) for name, label in staff.ROLE_LABELS.items()]
LANGUAGES = [("de", "Deutsch"), ("en", "English")]


class InviteForm(AccessibleForm):
    email = forms.CharField(
        label=_("Email address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    full_name = forms.CharField(label=_("Full name"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
    finance = forms.BooleanField(
        label=_("Also the finance role (refunds, reconciliation export)"), required=False
    )
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=LANGUAGES)


class RoleForm(AccessibleForm):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
    finance = forms.BooleanField(
        label=_("Also the finance role (refunds, reconciliation export)"), required=False
    )


def _manager_only(request) -> None:
    if not can_manage_staff(request.actor):
        raise Http404


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def staff_list(request):
    _manager_only(request)
    form = InviteForm(request.POST or None, initial={"language": request.LANGUAGE_CODE[:2]})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                user = staff.invite_staff(actor=request.actor, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, staff.staff_message(user, "invited"))
                return redirect("staff:list")
    members = staff.list_staff(actor=request.actor)
    return render(
        request,
        "accounts/backoffice/staff_list.html",
        {"form": form, "members": members},
        status=status,
    )


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def staff_member(request, user_id: int):
    _manager_only(request)
    try:
        user = staff.get_staff_for(request.actor, user_id)
    except ValidationError:
        raise Http404 from None
    member = staff.member_of(user)
    form = RoleForm(request.POST or None, initial={"role": member.role, "finance": member.finance})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                user = staff.change_role(actor=request.actor, member=user.pk, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, staff.staff_message(user, "role"))
                return redirect("staff:member", user_id=user.pk)
    return render(
        request,
        "accounts/backoffice/staff_member.html",
        {"form": form, "member": member},
        status=status,
    )


def _action(service, verb: str):
    @backoffice_site.admin_view
    @require_POST
    def view(request, user_id: int):
        _manager_only(request)
        try:
            user = service(actor=request.actor, member=user_id)
        except ValidationError as exc:
            if "staff_not_found" in {e.code for e in _errors(exc)}:
                raise Http404 from None
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, staff.staff_message(user, verb))
        return redirect("staff:member", user_id=user_id)

    view.__name__ = f"staff_{verb}"
    return view


def _errors(exc: ValidationError) -> list[ValidationError]:
    if hasattr(exc, "error_dict"):
        return [e for errors in exc.error_dict.values() for e in errors]
    return list(exc.error_list)


app_name = "staff"
urlpatterns = [
    path("", staff_list, name="list"),
    path("<int:user_id>/", staff_member, name="member"),
    path(
        "<int:user_id>/deactivate/",
        _action(staff.deactivate_staff, "deactivated"),
        name="deactivate",
    ),
    path(
        "<int:user_id>/reactivate/",
        _action(staff.reactivate_staff, "reactivated"),
        name="reactivate",
    ),
    path("<int:user_id>/resend/", _action(staff.resend_invitation, "resent"), name="resend"),
]
