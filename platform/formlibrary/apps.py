from django.apps import AppConfig


class FormLibraryConfig(AppConfig):
    name = "portalwerk.platform.formlibrary"
    label = "formlibrary"
    verbose_name = "Form template library"
    default_auto_field = "django.db.models.BigAutoField"
