from django.shortcuts import render

from portalwerk.tenants.current import tenant_url
from portalwerk.tenants.models import Tenant, TenantStatus


def platform_home(request):
    tenants = list(
        Tenant.objects.exclude(schema_name="public")
        .filter(status=TenantStatus.ACTIVE)
        .prefetch_related("domains")
    )
    for tenant in tenants:
        tenant.url = tenant_url(tenant)
    return render(request, "portal/platform_home.html", {"tenants": tenants})
