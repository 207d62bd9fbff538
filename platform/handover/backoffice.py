"""The hand-over pages of the back office: the failed deliveries (dead letters) for clerks, and
the targets for tenant admins (list, add: first the kind, then its settings; change, switch
off and on, check, send a test). Each POST calls one service function."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from portalwerk.platform.accounts.forms import AccessibleForm
from portalwerk.platform.authz.capabilities import can_manage_targets, can_view_deliveries
from portalwerk.platform.backoffice import backoffice_site
from portalwerk.platform.forms.models import Form
from portalwerk.platform.handover import queries, services, targets

PREFIX = "config"
PER_PAGE = 50


class TargetForm(AccessibleForm):
    """What every target has; the backend's own settings come in a second form."""

    name = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=200)
    all_forms = forms.BooleanField(label=gettext_lazy("For every form"), required=False)
    forms = forms.MultipleChoiceField(
        label=gettext_lazy("For these forms"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forms"].choices = [
            (str(f.pk), f"{f.title_text(None)} ({f.slug})") for f in Form.objects.order_by("slug")
        ]


def _unprefixed(data: QueryDict) -> QueryDict:
    """The settings form's inputs as the backend's form names them."""
    found = QueryDict(mutable=True)
    for key in data:
        if key.startswith(PREFIX + "-"):
            found.setlist(key[len(PREFIX) + 1 :], data.getlist(key))
    return found


def _show_errors(exc: ValidationError, target_form: TargetForm, config_form) -> None:
    """Service errors at their fields: the settings form shows its own (the same, built the
    same way from the same input), the rest lands on the target form."""
    config_form.is_valid()
    own = {str(m) for m in config_form.non_field_errors()}
    for field, errors in exc.update_error_dict({}).items():
        if field in config_form.fields:
            continue
        if field == NON_FIELD_ERRORS and all(m in own for e in errors for m in e.messages):
            continue
        target_form.add_error(field if field in target_form.fields else None, errors)


def _pick(request):
    if not can_manage_targets(request.actor):
        raise Http404


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def failed_deliveries(request):
    if not can_view_deliveries(request.actor):
        raise Http404
    if request.method == "POST":
        try:
            services.retry_delivery(actor=request.actor, delivery_id=request.POST.get("delivery"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The delivery is being tried again."))
        return redirect(f"{request.path}?page={request.GET.get('page', '1')}")
    page = Paginator(queries.dead_letters(), PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = queries.described(page.object_list)
    return render(request, "handover/backoffice/failed.html", {"page": page})


@backoffice_site.admin_view
def target_list(request):
    _pick(request)
    return render(
        request,
        "handover/backoffice/targets.html",
        {"targets": queries.targets(), "labels": dict(targets.backend_choices())},
    )


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def target_add(request):
    _pick(request)
    choices = targets.backend_choices()
    chosen = request.POST.get("backend") or request.GET.get("backend", "")
    if chosen not in dict(choices):
        return render(
            request,
            "handover/backoffice/target_kind.html",
            {"choices": choices, "unknown": bool(chosen)},
            status=400 if chosen else 200,
        )
    backend = targets.backend_named(chosen)
    target_form = TargetForm(request.POST or None)
    config_form = targets.config_form_for(
        backend, request.POST if request.method == "POST" else None, prefix=PREFIX
    )
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and target_form.is_valid():
        try:
            target = targets.add_target(
                actor=request.actor,
                backend=chosen,
                name=target_form.cleaned_data["name"],
                config=_unprefixed(request.POST),
                all_forms=target_form.cleaned_data["all_forms"],
                form_ids=target_form.cleaned_data["forms"],
            )
        except ValidationError as exc:
            _show_errors(exc, target_form, config_form)
        else:
            messages.success(request, _("The target has been added."))
            return redirect("handover-backoffice:target", target_id=target.pk)
    return render(
        request,
        "handover/backoffice/target_form.html",
        {
            "target_form": target_form,
            "config_form": config_form,
            "backend": chosen,
            "backend_label": dict(choices)[chosen],
            "target": None,
        },
        status=status,
    )


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def target_detail(request, target_id: int):
    _pick(request)
    try:
        target = queries.get_target_for(request.actor, target_id)
        backend = targets.backend_named(target.backend)
    except ValidationError:
        raise Http404 from None
    posted = request.method == "POST"
    target_form = TargetForm(request.POST if posted else None, initial=_initial(target))
    config_form = targets.config_form_for(
        backend, request.POST if posted else None, target=target, prefix=PREFIX
    )
    status = 400 if posted else 200
    if posted and target_form.is_valid():
        try:
            targets.change_target(
                actor=request.actor,
                target_id=target.pk,
                name=target_form.cleaned_data["name"],
                config=_unprefixed(request.POST),
                all_forms=target_form.cleaned_data["all_forms"],
                form_ids=target_form.cleaned_data["forms"],
            )
        except ValidationError as exc:
            _show_errors(exc, target_form, config_form)
        else:
            messages.success(request, _("The target has been saved."))
            return redirect("handover-backoffice:target", target_id=target.pk)
    return _target_page(request, target, target_form, config_form, status=status)


def _initial(target) -> dict:
    return {
        "name": target.name,
        "all_forms": target.all_forms,
        "forms": [str(pk) for pk in target.forms.values_list("pk", flat=True)],
    }


def _target_page(request, target, target_form=None, config_form=None, *, status=200, **extra):
    backend = targets.backend_named(target.backend)
    return render(
        request,
        "handover/backoffice/target_form.html",
        {
            "target": target,
            "target_form": target_form or TargetForm(initial=_initial(target)),
            "config_form": config_form
            or targets.config_form_for(backend, target=target, prefix=PREFIX),
            "backend": target.backend,
            "backend_label": str(backend.label or backend.name),
            **extra,
        },
        status=status,
    )


@backoffice_site.admin_view
@require_POST
def target_action(request, target_id: int, action: str):
    _pick(request)
    try:
        target = queries.get_target_for(request.actor, target_id)
        if action == "check":
            problems = targets.check_target(actor=request.actor, target_id=target.pk)
            return _target_page(request, target, checked=True, problems=problems)
        if action == "test":
            outcome = targets.send_test(actor=request.actor, target_id=target.pk)
            return _target_page(request, target, outcome=outcome)
        if action == "deactivate":
            targets.deactivate_target(actor=request.actor, target_id=target.pk)
            messages.success(request, _("The target is switched off."))
        elif action == "activate":
            targets.activate_target(actor=request.actor, target_id=target.pk)
            messages.success(request, _("The target is switched on."))
        else:
            raise Http404
    except ValidationError:
        raise Http404 from None
    return redirect("handover-backoffice:target", target_id=target.pk)


app_name = "handover-backoffice"
urlpatterns = [
    path("failed/", failed_deliveries, name="failed"),
    path("targets/", target_list, name="targets"),
    path("targets/add/", target_add, name="target-add"),
    path("targets/<int:target_id>/", target_detail, name="target"),
    path(
        "targets/<int:target_id>/<str:action>/",
        target_action,
        name="target-action",
    ),
]
