from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "portalwerk.tenants"
    label = "tenants"
    verbose_name = _("Tenants")
    default_auto_field = "django.db.models.BigAutoField"
    # An area folder is a namespace portion; Django needs its one real location spelled out.
    path = str(Path(__file__).resolve().parent)

    def ready(self) -> None:
        from django.core.signals import request_finished

        from portalwerk.tenants.connections import recycle_after_request

        request_finished.connect(recycle_after_request, dispatch_uid="portalwerk-recycle")
