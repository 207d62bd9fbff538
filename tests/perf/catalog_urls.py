"""The tenant URLs plus `/bench/bare/`: a Django view that does nothing, behind the same
middleware (tenant routing, sessions, CSRF, locale), as the baseline of the portal benchmark."""

from django.http import HttpResponse
from django.urls import path

from portalwerk.platform.urls_tenant import urlpatterns as tenant_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *tenant_urlpatterns]
