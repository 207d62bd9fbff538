from django.conf import settings
from django.shortcuts import render

from portalwerk.tenants.models import Tenant, TenantStatus


def tenant_url(tenant: Tenant) -> str:
    port = f":{settings.PORTALWERK_PUBLIC_PORT}" if settings.PORTALWERK_PUBLIC_PORT else ""
    domain = tenant.domains.filter(is_primary=True).first()
    host = domain.domain if domain else f"{tenant.slug}.{settings.PORTALWERK_BASE_DOMAIN}"
    return f"{settings.PORTALWERK_SCHEME}://{host}{port}/"


def platform_home(request):
    tenants = list(
        Tenant.objects.exclude(schema_name="public")
        .filter(status=TenantStatus.ACTIVE)
        .prefetch_related("domains")
    )
    for tenant in tenants:
        tenant.url = tenant_url(tenant)
    return render(request, "portal/platform_home.html", {"tenants": tenants})


def platform_legal(request, page: str):
    """The data centre's own imprint and privacy notice on the base host."""
    return render(request, "portal/platform_legal.html", {"page": page})
