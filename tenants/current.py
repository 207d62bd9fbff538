"""The tenant whose schema is active, and absolute URLs on a tenant's own host.

Built from the connection's schema rather than a request: services, jobs and commands need them
too, and a job runs in a schema that it set itself (DESIGN.md, "Tenancy")."""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from portalwerk.tenants.models import Tenant


def current_tenant() -> Tenant:
    """The tenant of the active schema (raises `Tenant.DoesNotExist` outside one)."""
    return Tenant.objects.get(schema_name=connection.schema_name)


def current_tenant_or_none() -> Tenant | None:
    return Tenant.objects.filter(schema_name=connection.schema_name).first()


def tenant_url(tenant: Tenant, path: str = "") -> str:
    """`https://<primary domain or slug.base domain>[:port]/`, with `path` (starting with "/")
    in place of the final slash when given."""
    port = f":{settings.PORTALWERK_PUBLIC_PORT}" if settings.PORTALWERK_PUBLIC_PORT else ""
    domain = _primary_domain(tenant)
    host = domain.domain if domain else f"{tenant.slug}.{settings.PORTALWERK_BASE_DOMAIN}"
    base = f"{settings.PORTALWERK_SCHEME}://{host}{port}/"
    return base.rstrip("/") + path if path else base


def _primary_domain(tenant: Tenant):
    """The primary domain, from `prefetch_related("domains")` when the caller did it: a list of
    thousands of tenants must not ask once per tenant (issue 17)."""
    if "domains" in getattr(tenant, "_prefetched_objects_cache", {}):
        return next((d for d in tenant.domains.all() if d.is_primary), None)
    return tenant.domains.filter(is_primary=True).first()


def current_tenant_url(path: str = "") -> str:
    """`tenant_url` of the tenant whose schema is active."""
    return tenant_url(current_tenant(), path)
