from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portalwerk.platform.portal"
    label = "portal"
    verbose_name = "Portal"
