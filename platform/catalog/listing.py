"""A portal's list of services a page at a time: ordered, sliced and counted in the database.

The tenant API's `services` list used to build the whole merged catalogue (the tenant's own
services and, for a member municipality, its district's) before taking a page of it: 591 ms for
a page at 400 services (issue 17). Here one statement orders both schemas' published services
exactly as `queries.services_for_portal` sorts them (by `queries.sort_key` of the name in the
active language, the tenant's own first on ties), applies the offset and limit, and a COUNT gives
the total; only the page's services are then loaded with what the API shows of them.

This reads the district's schema by name, like `queries.district_services` (which loads the
district's part of a page), and only for the district `queries.district_of` names.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from django.db import connection
from django.db.models import prefetch_related_objects
from django.utils import translation

from portalwerk.platform.catalog import queries
from portalwerk.platform.catalog.models import Category, Service
from portalwerk.platform.library.translation import CONTENT_LANGUAGES, FALLBACK
from portalwerk.tenants.models import Tenant

# `queries.sort_key` in SQL: NFKD, drop what is not ASCII, case-fold (on ASCII: lower), compare
# by code point (COLLATE "C"). Ties: own services before the district's, then as the list used
# to come out of each schema (by German name), then by id so that pages never overlap.
_SORT = """lower(regexp_replace(normalize({name}, NFKD), '[^\\x01-\\x7f]', '', 'g') COLLATE "C")"""
_NAME = {
    FALLBACK: "s.name_de",
    # `translated` falls back to German where the English name is blank
    "en": "CASE WHEN s.name_en ~ '\\S' THEN s.name_en ELSE s.name_de END",
}


def _language() -> str:
    language = (translation.get_language() or FALLBACK)[:2]
    return language if language in CONTENT_LANGUAGES and language in _NAME else FALLBACK


def _select(schema: str, source: int, category: str | None) -> tuple[str, list]:
    quote = connection.ops.quote_name
    service = f"{quote(schema)}.{quote(Service._meta.db_table)}"
    sql = (
        f"SELECT {source} AS source, s.id, s.name_de, {_SORT.format(name=_NAME[_language()])} "
        f"AS sort FROM {service} s WHERE s.is_published"
    )
    if not category:
        return sql, []
    through = Service.categories.through._meta.db_table
    table = f"{quote(schema)}.{quote(Category._meta.db_table)}"
    sql += (
        f" AND EXISTS (SELECT 1 FROM {quote(schema)}.{quote(through)} sc JOIN {table} c"
        " ON c.id = sc.category_id WHERE sc.service_id = s.id AND c.slug = %s)"
    )
    return sql, [category]


class PortalListing(Sequence):
    """`services_for_portal(tenant, category=…, detail=…)` as a sequence whose `len` is a COUNT
    and whose slices are pages read with OFFSET and LIMIT. Counts and pages are kept for the
    life of the object (one request), so aliases asking for the same page share one read."""

    def __init__(self, tenant: Tenant, *, category: str | None = None, detail: bool = False):
        self.tenant = tenant
        self.category = category
        self.detail = detail
        self.district = queries.district_of(tenant)
        if self.district is not None and "domains" not in getattr(
            self.district, "_prefetched_objects_cache", {}
        ):
            # the district's portal address (on each of its services) without a query per
            # request while the host cache keeps the tenant, and with it its district
            prefetch_related_objects([self.district], "domains")
        self._count: int | None = None
        self._pages: dict[tuple[int, int], list[queries.Entry]] = {}

    def _union(self) -> tuple[str, list]:
        parts = [_select(self.tenant.schema_name, 0, self.category)]
        if self.district is not None:
            parts.append(_select(self.district.schema_name, 1, self.category))
        return " UNION ALL ".join(sql for sql, _ in parts), [p for _, ps in parts for p in ps]

    def __len__(self) -> int:
        if self._count is None:
            union, params = self._union()
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) FROM ({union}) AS listed", params)
                self._count = cursor.fetchone()[0]
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            page = self[index : index + 1] if index >= 0 else list(self)[index : index + 1]
            if not page:
                raise IndexError(index)
            return page[0]
        start, stop = index.start or 0, sys.maxsize if index.stop is None else index.stop
        if index.step not in (None, 1) or start < 0 or stop < 0:
            return list(self)[index]  # the connection never asks for these; kept correct
        return self._page(start, stop)

    def __iter__(self):
        return iter(self._page(0, len(self)))

    def _page(self, start: int, stop: int) -> list[queries.Entry]:
        if stop <= start:
            return []
        if (start, stop) not in self._pages:
            self._pages[(start, stop)] = self._load(start, stop)
        return self._pages[(start, stop)]

    def _load(self, start: int, stop: int) -> list[queries.Entry]:
        union, params = self._union()
        with connection.cursor() as cursor:
            cursor.execute(
                # the total rides along (one statement less); a page past the end has no row
                # to carry it, and `len` counts then
                f"SELECT source, id, count(*) OVER () FROM ({union}) AS listed "
                'ORDER BY sort COLLATE "C", source, name_de, id OFFSET %s LIMIT %s',
                [*params, start, stop - start],
            )
            rows = cursor.fetchall()
        if rows and self._count is None:
            self._count = rows[0][2]
        keys = [(source, pk) for source, pk, _total in rows]
        own_ids = [pk for source, pk in keys if source == 0]
        district_ids = [pk for source, pk in keys if source == 1]
        loaded: dict[tuple[int, int], queries.Entry] = {}
        if own_ids:
            services = queries.published_services(detail=self.detail).in_bulk(own_ids)
            loaded.update({(0, pk): queries.entry_for(s) for pk, s in services.items()})
        if district_ids:
            entries = queries.district_services(self.tenant, ids=district_ids, detail=self.detail)
            loaded.update({(1, e.service.pk): e for e in entries})
        # a service unpublished between the two reads is left out of the page
        return [loaded[key] for key in keys if key in loaded]
