"""The variables of each stack, from the platform's settings and the tenants table, and the
stacks themselves: `identity` (workspace "installation") and `tenant` (a workspace per slug)."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from portalwerk.infra import config
from portalwerk.infra.errors import InfraError
from portalwerk.infra.running import Stack
from portalwerk.tenants.models import Domain, Tenant

IDENTITY_WORKSPACE = "installation"


def database_url(db: dict | None = None) -> str:
    """The installation's database as a URL for Terraform's state (user and password quoted:
    a password may hold `@`, `/` or `:`)."""
    db = db or connection.settings_dict
    host = db.get("HOST") or ""
    user, password = quote(db["USER"], safe=""), quote(db["PASSWORD"] or "", safe="")
    netloc = f"{user}:{password}@" + ("" if host.startswith("/") else host)
    port = f":{db['PORT']}" if db.get("PORT") and not host.startswith("/") else ""
    query = f"?host={host}" if host.startswith("/") else ""
    return f"postgresql://{netloc}{port}/{db['NAME']}{query}"


def missing_settings() -> list[str]:
    """The settings Terraform needs that are not set (none: provisioning is configured)."""
    return [
        name
        for name in (
            "PORTALWERK_TF_KEYCLOAK_URL",
            "PORTALWERK_TF_KEYCLOAK_ADMIN",
            "PORTALWERK_TF_KEYCLOAK_ADMIN_PASSWORD",
            "KEYCLOAK_REALM",
            "KEYCLOAK_CLIENT_ID",
            "KEYCLOAK_CLIENT_SECRET",
        )
        if not getattr(settings, name)
    ]


def _keycloak() -> dict:
    missing = missing_settings()
    if missing:
        raise InfraError(
            _("Set %(names)s first (see docs/operators/provisioning.md).")
            % {"names": ", ".join(missing)}
        )
    return {
        "keycloak_url": settings.PORTALWERK_TF_KEYCLOAK_URL,
        "keycloak_admin_username": settings.PORTALWERK_TF_KEYCLOAK_ADMIN,
        "keycloak_admin_password": settings.PORTALWERK_TF_KEYCLOAK_ADMIN_PASSWORD,
    }


def _origin(host: str) -> str:
    port = f":{settings.PORTALWERK_PUBLIC_PORT}" if settings.PORTALWERK_PUBLIC_PORT else ""
    return f"{settings.PORTALWERK_SCHEME}://{host}{port}"


def identity_variables() -> dict:
    hosts = [settings.PORTALWERK_BASE_DOMAIN]
    hosts += sorted(
        Domain.objects.exclude(tenant__schema_name="public")
        .exclude(domain=settings.PORTALWERK_BASE_DOMAIN)
        .values_list("domain", flat=True)
    )
    return {
        **_keycloak(),
        "realm": settings.KEYCLOAK_REALM,
        "client_id": settings.KEYCLOAK_CLIENT_ID,
        "client_secret": settings.KEYCLOAK_CLIENT_SECRET,
        "hosts": [_origin(host) for host in hosts],
        "back_channel_logout_url": _origin(settings.PORTALWERK_BASE_DOMAIN)
        + "/accounts/keycloak/back-channel-logout/",
        "login_theme": settings.PORTALWERK_TF_KEYCLOAK_LOGIN_THEME or None,
        "state_accounts": config.state_accounts(),
        # the realm as the state accounts know it: its public address (the platform's)
        "service_provider_entity_id": f"{settings.KEYCLOAK_SERVER_URL}/realms/"
        f"{settings.KEYCLOAK_REALM}",
        "level_attribute": settings.KEYCLOAK_LEVEL_CLAIM,
    }


def tenant_of(slug: str) -> Tenant:
    tenant = Tenant.objects.exclude(schema_name="public").filter(slug=slug).first()
    if tenant is None:
        raise InfraError(_("There is no tenant with the slug '%(slug)s'.") % {"slug": slug})
    return tenant


def tenant_variables(tenant: Tenant, identity_outputs: dict, *, destroying: bool = False) -> dict:
    if not identity_outputs.get("realm_id"):
        raise InfraError(_("Apply the identity stack first (portalwerk infra apply)."))
    domains = sorted(tenant.domains.values_list("domain", flat=True))
    return {
        **_keycloak(),
        "realm_id": identity_outputs["realm_id"],
        "client_uuid": identity_outputs["client_uuid"],
        "slug": tenant.slug,
        "name": tenant.name,
        "domains": domains,
        "origins": [_origin(domain) for domain in domains],
        "colour": _colour(tenant),
        **config.tenant(tenant.slug, destroying=destroying),
    }


def _colour(tenant: Tenant) -> str | None:
    """The tenant's primary colour, which the login theme shows (None: the theme's own). Read
    with SQL: the infrastructure layer does not import the catalogue's models."""
    table = f"{tenant.schema_name}.catalog_portalsettings"
    with connection.cursor() as cursor:
        # onboarding applies Terraform before the tenant's schema is cloned: no table, no colour
        cursor.execute("SELECT to_regclass(%s)", [table])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(
            f'SELECT primary_colour FROM "{tenant.schema_name}".catalog_portalsettings LIMIT 1'
        )
        found = cursor.fetchone()
    return (found[0] if found else "") or None


def identity() -> Stack:
    return Stack("identity", IDENTITY_WORKSPACE, database_url=database_url()).init()


def tenant(slug: str) -> Stack:
    tenant_of(slug)
    return Stack("tenant", slug, database_url=database_url()).init()
