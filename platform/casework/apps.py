from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "portalwerk.platform.casework"
    label = "casework"
    verbose_name = _("Casework")
    default_auto_field = "django.db.models.BigAutoField"
