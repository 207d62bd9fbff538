from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    name = "portalwerk.platform.forms"
    label = "forms"
    verbose_name = _("Forms")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portalwerk.platform.forms.engine import sourcing
        from portalwerk.platform.forms.sourced import DataSources

        sourcing.use(DataSources())
