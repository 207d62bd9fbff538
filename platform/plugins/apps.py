from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PluginsConfig(AppConfig):
    name = "portalwerk.platform.plugins"
    label = "plugins"
    verbose_name = _("Plugins")

    def ready(self) -> None:
        from portalwerk.platform.plugins import checks  # noqa: F401  (registers the check)
