from django.apps import AppConfig


class FormsConfig(AppConfig):
    name = "portalwerk.platform.forms"
    label = "forms"
    verbose_name = "Forms"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portalwerk.platform.forms.engine import sourcing
        from portalwerk.platform.forms.sourced import DataSources

        sourcing.use(DataSources())
