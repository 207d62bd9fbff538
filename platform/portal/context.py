from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

# The pages BITV 2.0 wants reachable from every page (footer and header), on tenant hosts the
# tenant's own, on the base host the data centre's.
TENANT_LINKS = {
    "imprint": "catalog:imprint",
    "privacy": "catalog:privacy",
    "statement": "catalog:accessibility",
    "easy_language": "catalog:easy-language",
    "sign_language": "catalog:sign-language",
}
PLATFORM_LINKS = {key: f"platform-{key.replace('_', '-')}" for key in TENANT_LINKS}


def _links(platform: bool) -> dict[str, str]:
    names = PLATFORM_LINKS if platform else TENANT_LINKS
    links = {}
    for key, name in names.items():
        try:
            links[key] = reverse(name)
        except NoReverseMatch:  # a host whose URLs lack the page (never in the shipped URLs)
            links[key] = "/"
    return links


def portal(request) -> dict:
    tenant = getattr(request, "tenant", None)
    is_platform = tenant is None or tenant.is_platform
    return {
        "current_tenant": tenant,
        "is_platform_site": is_platform,
        "base_domain": settings.PORTALWERK_BASE_DOMAIN,
        "accessibility_links": SimpleLazyObject(lambda: _links(is_platform)),
    }
