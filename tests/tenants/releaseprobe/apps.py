from django.apps import AppConfig


class ReleaseProbeConfig(AppConfig):
    name = "tests.tenants.releaseprobe"
    label = "releaseprobe"
    default_auto_field = "django.db.models.BigAutoField"
