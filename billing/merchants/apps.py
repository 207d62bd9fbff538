from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MerchantsConfig(AppConfig):
    name = "portalwerk.billing.merchants"
    label = "billing_merchants"
    verbose_name = _("Merchant accounts")
    default_auto_field = "django.db.models.BigAutoField"
