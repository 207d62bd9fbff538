from django.apps import AppConfig


class KeycloakConfig(AppConfig):
    name = "portalwerk.platform.accounts.identity.contrib.keycloak"
    label = "keycloak"
    verbose_name = "Keycloak"
    default_auto_field = "django.db.models.BigAutoField"
