from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "portalwerk.billing.payments"
    label = "payments"
    verbose_name = "Payments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portalwerk.billing.payments import checks  # noqa: F401  (registers the checks)
