from django.apps import AppConfig


class PluginsConfig(AppConfig):
    name = "portalwerk.platform.plugins"
    label = "plugins"
    verbose_name = "Plugins"

    def ready(self) -> None:
        from portalwerk.platform.plugins import checks  # noqa: F401  (registers the check)
