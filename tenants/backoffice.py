"""The tenant admin's module switches in the back office: one checkbox per module the
contract allows; saving calls `module_settings.set_modules`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portalwerk.platform.authz.capabilities import can_manage_modules
from portalwerk.platform.backoffice import backoffice_site
from portalwerk.tenants import module_settings
from portalwerk.tenants.models import Module, Tenant


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def modules(request):
    if not can_manage_modules(request.actor):
        raise Http404
    # request.tenant comes from the routing cache; the switches need the row as it is now
    tenant = Tenant.objects.get(pk=request.tenant.pk)
    errors: list[str] = []
    if request.method == "POST":
        chosen = set(request.POST.getlist("module"))
        allowed = set(tenant.allowed_modules)
        try:
            tenant = module_settings.set_modules(
                actor=request.actor,
                slug=tenant.slug,
                on=sorted(chosen & allowed) + sorted(chosen - allowed),
                off=sorted(allowed - chosen),
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("The modules are saved."))
            return redirect("tenant-modules:modules")
    rows = [
        {
            "value": value,
            "label": label,
            "on": value in tenant.modules,
            "allowed": value in tenant.allowed_modules,
        }
        for value, label in Module.choices
    ]
    return render(
        request,
        "tenants/backoffice/modules.html",
        {"rows": rows, "errors": errors},
        status=400 if errors else 200,
    )


app_name = "tenant-modules"
urlpatterns = [path("", modules, name="modules")]
