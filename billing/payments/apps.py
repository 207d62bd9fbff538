from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "portalwerk.billing.payments"
    label = "payments"
    verbose_name = _("Payments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portalwerk.billing.payments import checks  # noqa: F401  (registers the checks)
        from portalwerk.billing.payments.roles import FINANCE, finance_roles, finance_store
        from portalwerk.platform.authz.capabilities import (
            register_role_source,
            register_role_store,
        )

        register_role_source(finance_roles, roles=[FINANCE])
        register_role_store(FINANCE, finance_store)
