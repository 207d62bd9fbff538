from django.apps import AppConfig


class DemoBackofficeConfig(AppConfig):
    name = "portalwerk.platform.handover.contrib.demo"
    label = "demo_backoffice"
    verbose_name = "Demo back office (hand-over)"
    default_auto_field = "django.db.models.BigAutoField"
