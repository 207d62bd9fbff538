from django.utils.functional import SimpleLazyObject


def branding(request) -> dict:
    """The tenant's portal settings (colour, logo, name), read once per request when a page
    uses them. Nothing on the platform host, whose schema has no catalogue."""
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.is_platform:
        return {}
    from portalwerk.platform.catalog.models import PortalSettings

    return {"branding": SimpleLazyObject(PortalSettings.load)}
