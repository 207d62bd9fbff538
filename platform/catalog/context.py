from django.utils.functional import SimpleLazyObject


def branding(request) -> dict:
    """The tenant's portal settings (colour, logo, name), read once per request when a page
    uses them. Nothing on the platform host, whose schema has no catalogue."""
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.is_platform:
        return {}
    from portalwerk.platform.catalog.models import PortalSettings

    context = {
        "branding": SimpleLazyObject(PortalSettings.load),
        "style_nonce": getattr(request, "csp_nonce", ""),  # the CSP nonce of the brand colour
    }
    if getattr(request, "catalog_csrf_placeholder", False):
        # A page rendered for the cache: each response puts in its visitor's own token and
        # its own CSP nonce.
        from portalwerk.platform.catalog.pagecache import CSRF_PLACEHOLDER, NONCE_PLACEHOLDER

        context["csrf_token"] = CSRF_PLACEHOLDER
        context["style_nonce"] = NONCE_PLACEHOLDER
    return context
