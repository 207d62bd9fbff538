from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "portalwerk.platform.library"
    label = "library"
    verbose_name = _("Template library")
    default_auto_field = "django.db.models.BigAutoField"
