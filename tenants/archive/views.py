"""The tenant admin's export in the back office: a page that says what the archive holds, and
a POST that streams it (the download is audited, so no link a crawler or prefetch could
follow starts it). Streamed rather than made by a job: no copy of every citizen's data is left
on the server waiting to be fetched, and the bytes come as the browser takes them."""

from __future__ import annotations

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from portalwerk.platform.authz.capabilities import can_export_tenant
from portalwerk.platform.backoffice import backoffice_site
from portalwerk.tenants.archive import export, kinds, services
from portalwerk.tenants.models import Tenant


def _tenant(request) -> Tenant:
    if not can_export_tenant(request.actor):
        raise Http404
    return Tenant.objects.get(pk=request.tenant.pk)


@backoffice_site.admin_view
@require_GET
def page(request):
    _tenant(request)
    return render(request, "tenants/backoffice/export.html", {"kinds": kinds.labels()})


@backoffice_site.admin_view
@require_POST
def download(request):
    tenant = _tenant(request)
    chunks = services.download_export(actor=request.actor, tenant=tenant)
    response = StreamingHttpResponse(chunks, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export.archive_name(tenant)}"'
    response["Cache-Control"] = "private, no-store"
    return response


app_name = "tenant-export"
urlpatterns = [
    path("", page, name="page"),
    path("download/", download, name="download"),
]
