from django.apps import AppConfig


class DataSourcesConfig(AppConfig):
    name = "portalwerk.platform.datasources"
    label = "datasources"
    verbose_name = "Data sources"
    default_auto_field = "django.db.models.BigAutoField"
