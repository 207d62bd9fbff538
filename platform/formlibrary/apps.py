from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormLibraryConfig(AppConfig):
    name = "portalwerk.platform.formlibrary"
    label = "formlibrary"
    verbose_name = _("Form template library")
    default_auto_field = "django.db.models.BigAutoField"
