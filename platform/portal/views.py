from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from portalwerk.tenants.current import tenant_url
from portalwerk.tenants.models import Tenant, TenantStatus

# A page of portals, not all of them: an installation may have thousands (issue 17).
TENANTS_PER_PAGE = 50
MAX_SEARCH_LENGTH = 100


def platform_home(request):
    q = request.GET.get("q", "").strip()[:MAX_SEARCH_LENGTH]
    tenants = (
        Tenant.objects.exclude(schema_name="public")
        .filter(status=TenantStatus.ACTIVE)
        .prefetch_related("domains")
        .order_by("name", "pk")
    )
    if q:
        tenants = tenants.filter(Q(name__icontains=q) | Q(slug__icontains=q))
    page = Paginator(tenants, TENANTS_PER_PAGE).get_page(request.GET.get("page"))
    for tenant in page:
        tenant.url = tenant_url(tenant)
    return render(request, "portal/platform_home.html", {"page": page, "q": q})


def platform_legal(request, page: str):
    """The data centre's own imprint and privacy notice on the base host."""
    return render(request, "portal/platform_legal.html", {"page": page})
