"""The catalogue in the tenant API: open to anonymous citizens (declared on every field).

A member municipality's `services` include its district's (through the one explicit cross-tenant
read, `district_services`); lists are connections with cursors over that merged list.
"""

from __future__ import annotations

import strawberry
from strawberry import Info, relay

from portalwerk.graphql.catalog import types
from portalwerk.graphql.core import ids
from portalwerk.graphql.core.pagination import Connection
from portalwerk.graphql.core.permissions import AllowAnonymous
from portalwerk.platform.catalog import queries
from portalwerk.platform.catalog.models import Category as CategoryModel
from portalwerk.tenants.models import Tenant

MAX_PAGE = 100


def _tenant(info: Info) -> Tenant | None:
    """The host's tenant; None on the platform host, whose schema has no catalogue."""
    tenant = getattr(info.context.request, "tenant", None)
    if tenant is None or tenant.is_platform:
        return None
    return tenant


def _scopes(tenant: Tenant) -> dict[str, str]:
    """Slug -> schema of the tenant and of the district whose services it lists."""
    scopes = {tenant.slug: tenant.schema_name}
    district = queries.district_of(tenant)
    if district is not None:
        scopes[district.slug] = district.schema_name
    return scopes


def _own(id: strawberry.ID, type_name: str) -> str | None:
    return ids.decode_or_none(id, type_name)


@strawberry.type
class CatalogQuery:
    @relay.connection(
        Connection[types.Service],
        permission_classes=[AllowAnonymous],
        max_results=MAX_PAGE,
        description="Published services, with the district's for a member municipality; "
        "ranked by relevance when `search` is given, otherwise by name.",
    )
    def services(
        self, info: Info, search: str | None = None, category: str | None = None
    ) -> list[types.Service]:
        tenant = _tenant(info)
        if tenant is None:
            return []
        if search is not None and search.strip():
            entries = queries.search_services(tenant, search, detail=True)
            if category:
                entries = [
                    e
                    for e in entries
                    if any(c.slug == category for c in e.service.categories.all())
                ]
        else:
            entries = queries.services_for_portal(tenant, category=category, detail=True)
        scopes = _scopes(tenant)
        return [types.service_type(entry, scopes, tenant.slug) for entry in entries]

    @strawberry.field(permission_classes=[AllowAnonymous])
    def service(self, info: Info, id: strawberry.ID) -> types.Service | None:
        tenant = _tenant(info)
        if tenant is None:
            return None
        scopes = _scopes(tenant)
        try:
            scope, key = ids.decode_scoped(id, "Service", scopes=set(scopes.values()))
        except ids.NotFound:
            return None
        if not key.isdigit() or len(key) > ids.MAX_INT_DIGITS:
            return None
        if scope == tenant.schema_name:
            service = queries.published_services(detail=True).filter(pk=int(key)).first()
            entries = [queries.entry_for(service)] if service else []
        else:
            entries = queries.district_services(tenant, ids=[int(key)], detail=True)
        return types.service_type(entries[0], scopes, tenant.slug) if entries else None

    @relay.connection(
        Connection[types.Office],
        permission_classes=[AllowAnonymous],
        max_results=MAX_PAGE,
    )
    def offices(self, info: Info) -> list[types.Office]:
        tenant = _tenant(info)
        if tenant is None:
            return []
        return [types.office_type(office, tenant.schema_name) for office in queries.offices()]

    @strawberry.field(permission_classes=[AllowAnonymous])
    def office(self, info: Info, id: strawberry.ID) -> types.Office | None:
        tenant = _tenant(info)
        slug = _own(id, "Office")
        if tenant is None or slug is None:
            return None
        office = queries.offices().filter(slug=slug).first()
        return types.office_type(office, tenant.schema_name) if office else None

    @relay.connection(
        Connection[types.Category],
        permission_classes=[AllowAnonymous],
        max_results=MAX_PAGE,
    )
    def categories(self, info: Info) -> list[types.Category]:
        tenant = _tenant(info)
        if tenant is None:
            return []
        return [types.category_type(c, tenant.schema_name) for c in CategoryModel.objects.all()]
