"""Host → tenant routing, with the lookup cached in-process so a warm request costs no query.

The cache holds each host for PORTALWERK_TENANT_CACHE_SECONDS. Services that change a tenant's
status or domains call `forget()`; other processes see the change when the entry expires.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.shortcuts import render
from django.utils import translation
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import remove_www

from portalwerk.tenants.models import Domain, Tenant, TenantStatus

_MISSING = object()
_lock = threading.Lock()
_cache: dict[str, tuple[float, Tenant | None]] = {}


def lookup(host: str) -> Tenant | None:
    now = time.monotonic()
    entry = _cache.get(host)
    if entry is not None and entry[0] > now:
        return entry[1]
    domain = Domain.objects.select_related("tenant").filter(domain=host).first()
    tenant = domain.tenant if domain else None
    with _lock:
        _cache[host] = (now + settings.PORTALWERK_TENANT_CACHE_SECONDS, tenant)
    return tenant


def forget(*hosts: str) -> None:
    with _lock:
        if hosts:
            for host in hosts:
                _cache.pop(host, None)
        else:
            _cache.clear()


def _negotiated_language(request) -> None:
    translation.activate(translation.get_language_from_request(request))


class TenantRoutingMiddleware(TenantMainMiddleware):
    def process_request(self, request):
        connection.set_schema_to_public()
        try:
            host = remove_www(request.get_host().split(":")[0]).lower()
        except DisallowedHost:
            host = ""
        tenant = lookup(host) if host else None
        if tenant is None:
            _negotiated_language(request)
            return render(request, "portal/unknown_host.html", {"host": host}, status=404)
        if tenant.status == TenantStatus.OFFBOARDING and not tenant.is_platform:
            # gone for good: no "try again later", nothing taken in (a form POST, GraphQL)
            _negotiated_language(request)
            return render(request, "portal/closed.html", {"tenant": tenant}, status=410)
        if tenant.status != TenantStatus.ACTIVE and not tenant.is_platform:
            _negotiated_language(request)
            response = render(request, "portal/unavailable.html", {"tenant": tenant}, status=503)
            response["Retry-After"] = "3600"
            return response
        tenant.domain_url = host
        request.tenant = tenant
        connection.set_tenant(tenant)
        self.setup_url_routing(request)
        return None
