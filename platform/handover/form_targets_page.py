"""The page of one form's hand-over targets, at backoffice/forms/<form_id>/handover/ (the form
builder links to it by name)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portalwerk.platform.authz.capabilities import can_manage_targets
from portalwerk.platform.backoffice import backoffice_site
from portalwerk.platform.handover import form_targets


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def edit(request, form_id):
    try:
        form = form_targets.form_for(request.actor, form_id)
    except ValidationError:
        raise Http404 from None
    errors = []
    if request.method == "POST":
        try:
            form_targets.set_form_targets(
                actor=request.actor, form_id=form.pk, target_ids=request.POST.getlist("targets")
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Where the submissions go was saved."))
            return redirect(reverse("form-handover:edit", kwargs={"form_id": form.pk}))
    return render(
        request,
        "handover/backoffice/form_targets.html",
        {
            "form": form,
            "rows": form_targets.targets_for_form(form),
            "can_change": can_manage_targets(request.actor),
            "errors": errors,
            "back": request.GET.get("back", ""),
        },
        status=400 if errors else 200,
    )


app_name = "form-handover"
urlpatterns = [path("", edit, name="edit")]
