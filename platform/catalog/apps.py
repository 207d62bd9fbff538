from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "portalwerk.platform.catalog"
    label = "catalog"
    verbose_name = _("Service catalogue")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portalwerk.tenants.onboarding import register_content_seeder

        register_content_seeder(_seed_demo_content)


def _seed_demo_content(tenant) -> None:
    """What an onboarding with demo content gets: the library's demo service templates, adopted
    by the tenant, with demo offices and portal settings (catalog.demo; idempotent)."""
    from portalwerk.platform.catalog import demo

    demo.seed_library()
    demo.seed_tenant(tenant)
