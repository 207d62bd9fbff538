from django.conf import settings


def portal(request) -> dict:
    tenant = getattr(request, "tenant", None)
    return {
        "current_tenant": tenant,
        "is_platform_site": tenant is None or tenant.is_platform,
        "base_domain": settings.PORTALWERK_BASE_DOMAIN,
    }
