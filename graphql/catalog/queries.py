"""The catalogue in the tenant API: open to anonymous citizens (declared on every field).

A member municipality's `services` include its district's (through the one explicit cross-tenant
read, `district_services`); lists are connections with cursors over that merged list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import strawberry
from django.utils.translation import get_language
from strawberry import Info, relay
from strawberry.types.nodes import SelectedField

from portalwerk.graphql.catalog import types
from portalwerk.graphql.core import ids
from portalwerk.graphql.core.errors import require_module
from portalwerk.graphql.core.pagination import Connection, LazyNodes
from portalwerk.graphql.core.permissions import AllowAnonymous
from portalwerk.platform.catalog import listing, queries
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


def _scopes(tenant: Tenant) -> dict[str, str]:
    """Slug -> schema of the tenant and of the district whose services it lists."""
    scopes = {tenant.slug: tenant.schema_name}
    district = queries.district_of(tenant)
    if district is not None:
        scopes[district.slug] = district.schema_name
    return scopes


def _asks_for(selections, names: set[str]) -> bool:
    """Whether any field below `selections` (through fragments too) is one of `names`."""
    for selection in selections:
        if isinstance(selection, SelectedField) and selection.name in names:
            return True
        if _asks_for(selection.selections, names):
            return True
    return False


def _wants_hours(info: Info) -> bool:
    """Opening hours and closures cost two reads per schema; only a list that shows them pays."""
    return _asks_for(info.selected_fields, {"openingHours", "closures"})


def _entries(
    info: Info, tenant: Tenant, search: str | None, category: str | None, hours: bool
) -> Sequence[queries.Entry]:
    """The listed services, read once per request and arguments: aliases of `services` in one
    document (the attack run sent 14) share one read. Without `search` that is a
    `PortalListing`, which counts and reads pages in the database (issue 17); a search is
    ranked in Python and already bounded (`queries.MAX_RESULTS`)."""
    memo = info.context.request.__dict__.setdefault("_catalog_entries", {})
    key = (tenant.schema_name, (search or "").strip(), category, get_language(), hours)
    if key not in memo:
        if key[1]:
            entries = queries.search_services(tenant, search, detail=hours)
            if category:
                entries = [
                    e
                    for e in entries
                    if any(c.slug == category for c in e.service.categories.all())
                ]
        else:
            entries = listing.PortalListing(tenant, category=category, detail=hours)
        memo[key] = entries
    return memo[key]


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
    ) -> Iterable[types.Service]:
        tenant = _tenant(info)
        if tenant is None:
            return []
        hours = _wants_hours(info)
        entries = _entries(info, tenant, search, category, hours)
        scopes = _scopes(tenant)
        built = info.context.request.__dict__.setdefault("_catalog_nodes", {})

        def node(entry: queries.Entry) -> types.Service:
            # the same service in several aliases (or lists) is built once per request
            key = (entry.provider is not None, entry.service.pk, hours)
            if key not in built:
                built[key] = types.service_type(entry, scopes, tenant.slug, hours=hours)
            return built[key]

        return LazyNodes(entries, node)

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
    def offices(self, info: Info) -> Iterable[types.Office]:
        tenant = _tenant(info)
        if tenant is None:
            return []
        return LazyNodes(
            list(queries.offices()), lambda office: types.office_type(office, tenant.schema_name)
        )

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
    def categories(self, info: Info) -> Iterable[types.Category]:
        tenant = _tenant(info)
        if tenant is None:
            return []
        return LazyNodes(
            list(CategoryModel.objects.all()), lambda c: types.category_type(c, tenant.schema_name)
        )
