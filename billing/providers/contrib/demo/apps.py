from django.apps import AppConfig


class DemoProviderConfig(AppConfig):
    name = "portalwerk.billing.providers.contrib.demo"
    label = "demo_provider"
    verbose_name = "Demo payment provider"
    default_auto_field = "django.db.models.BigAutoField"
