from django.apps import AppConfig


class FormsConfig(AppConfig):
    name = "portalwerk.platform.forms"
    label = "forms"
    verbose_name = "Forms"
    default_auto_field = "django.db.models.BigAutoField"
