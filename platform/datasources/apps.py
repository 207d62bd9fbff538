from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataSourcesConfig(AppConfig):
    name = "portalwerk.platform.datasources"
    label = "datasources"
    verbose_name = _("Data sources")
    default_auto_field = "django.db.models.BigAutoField"
