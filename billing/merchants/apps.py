from django.apps import AppConfig


class MerchantsConfig(AppConfig):
    name = "portalwerk.billing.merchants"
    label = "billing_merchants"
    verbose_name = "Merchant accounts"
    default_auto_field = "django.db.models.BigAutoField"
