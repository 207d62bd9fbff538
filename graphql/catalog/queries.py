"""The catalogue in the tenant API: open to anonymous citizens (declared on every field).

A member municipality's `services` include its district's (through the one explicit cross-tenant
read, `district_services`); lists are relay connections with cursors over that merged list.
"""

from __future__ import annotations

import strawberry
from strawberry import Info, relay

from portalwerk.graphql.catalog import types
from portalwerk.graphql.core.errors import require_module
from portalwerk.graphql.core.pagination import ListConnection
from portalwerk.graphql.core.permissions import AllowAnonymous
from portalwerk.platform.catalog import queries
from portalwerk.platform.catalog.models import Category as CategoryModel
from portalwerk.tenants.models import Module, Tenant

MAX_PAGE = 100


def _tenant(info: Info) -> Tenant | None:
    """The host's tenant; None on the platform host, whose schema has no catalogue."""
    tenant = getattr(info.context.request, "tenant", None)
    if tenant is None or tenant.is_platform:
        return None
    require_module(Module.CATALOG)
    return tenant


def _decode(id: relay.GlobalID, type_name: str) -> tuple[str, str] | None:
    if id.type_name != type_name:
        return None
    return types.parse_node_id(id.node_id)


@strawberry.type
class CatalogQuery:
    @relay.connection(
        ListConnection[types.Service],
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
        return [types.service_type(entry, tenant.slug) for entry in entries]

    @strawberry.field(permission_classes=[AllowAnonymous])
    def service(self, info: Info, id: relay.GlobalID) -> types.Service | None:
        tenant = _tenant(info)
        parsed = _decode(id, "Service")
        if tenant is None or parsed is None or not parsed[1].isdigit():
            return None
        tenant_slug, pk = parsed[0], int(parsed[1])
        if tenant_slug == tenant.slug:
            service = queries.published_services(detail=True).filter(pk=pk).first()
            entries = [queries.entry_for(service)] if service else []
        else:
            district = queries.district_of(tenant)
            if district is None or district.slug != tenant_slug:
                return None  # another tenant's ID: not found, like any unknown ID
            entries = queries.district_services(tenant, ids=[pk], detail=True)
        return types.service_type(entries[0], tenant.slug) if entries else None

    @relay.connection(
        ListConnection[types.Office],
        permission_classes=[AllowAnonymous],
        max_results=MAX_PAGE,
    )
    def offices(self, info: Info) -> list[types.Office]:
        tenant = _tenant(info)
        if tenant is None:
            return []
        return [types.office_type(office, tenant.slug) for office in queries.offices()]

    @strawberry.field(permission_classes=[AllowAnonymous])
    def office(self, info: Info, id: relay.GlobalID) -> types.Office | None:
        tenant = _tenant(info)
        parsed = _decode(id, "Office")
        if tenant is None or parsed is None or parsed[0] != tenant.slug:
            return None
        office = queries.offices().filter(slug=parsed[1]).first()
        return types.office_type(office, tenant.slug) if office else None

    @relay.connection(
        ListConnection[types.Category],
        permission_classes=[AllowAnonymous],
        max_results=MAX_PAGE,
    )
    def categories(self, info: Info) -> list[types.Category]:
        tenant = _tenant(info)
        if tenant is None:
            return []
        return [types.category_type(c, tenant.slug) for c in CategoryModel.objects.all()]
