from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "portalwerk.platform.operations"
    label = "operations"
    verbose_name = "Operations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import logging

        from portalwerk.platform.operations import metrics

        metrics.watch_sign_ins()
        # django-health-check logs every failing check with a traceback; /readyz's body and
        # Django's own 503 line say it already, once per probe
        checks_logger = logging.getLogger("health_check")
        if checks_logger.level == logging.NOTSET:
            checks_logger.setLevel(logging.ERROR)
