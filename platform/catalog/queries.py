"""Reads of the catalogue for the portal pages and the tenant API, already prefetched.

The cross-tenant reads are `district_services()`: a member municipality's portal also lists its
district's published services, marked as provided by the district and linking to the district's
portal; and `district_service_keys()`, which services those are. Nothing else here leaves the
current tenant's schema.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django_tenants.utils import schema_context

from portalwerk.platform.catalog.models import Category, Office, Service
from portalwerk.tenants.models import Module, Tenant, TenantKind

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8
MAX_RESULTS = 50
TYPO_THRESHOLD = 0.45
_MARK_START, _MARK_END = "\x02", "\x03"


@dataclass(frozen=True)
class Provider:
    """Who provides a listed service when it is not the portal's own tenant."""

    slug: str
    name: str
    portal_url: str


@dataclass
class Entry:
    """A service as listed on a portal: the tenant's own, or (with `provider`) the district's."""

    service: Service
    url: str
    provider: Provider | None = None
    rank: float = 0.0
    name_html: SafeString | None = None
    summary_html: SafeString | None = None
    categories: list[str] = field(default_factory=list)

    @property
    def is_district(self) -> bool:
        return self.provider is not None


def published_services(*, detail: bool = False) -> QuerySet[Service]:
    """Published services with office and categories; `detail` adds the office's opening hours
    and closures (for the API, which can show them in a list)."""
    services = (
        Service.objects.filter(is_published=True)
        .select_related("office")
        .prefetch_related(Prefetch("categories", queryset=Category.objects.order_by("position")))
    )
    if detail:
        services = services.prefetch_related("office__opening_hours", "office__closures")
    return services


def service_for_page(slug: str) -> Service | None:
    return published_services().filter(slug=slug).first()


def offices() -> QuerySet[Office]:
    return Office.objects.prefetch_related("opening_hours", "closures")


def categories_in_use() -> QuerySet[Category]:
    return Category.objects.filter(services__is_published=True).distinct().order_by("position")


def top_services(limit: int = 6) -> list[Service]:
    services = list(published_services().filter(is_top=True)[:limit])
    return services or list(published_services()[:limit])


# --- the district's services on a member's portal ------------------------------------------------


def district_of(tenant: Tenant) -> Tenant | None:
    """The district whose services a member's portal shows: an active district with its catalogue
    on. Districts, associations and tenants without a district get None."""
    parent = tenant.parent if tenant.parent_id else None
    if (
        parent is None
        or parent.kind != TenantKind.DISTRICT
        or not parent.is_active
        or Module.CATALOG not in (parent.modules or [])
    ):
        return None
    return parent


def district_services(
    tenant: Tenant,
    *,
    category: str | None = None,
    search: str | None = None,
    ids: list[int] | None = None,
    detail: bool = False,
) -> list[Entry]:
    """THE explicit cross-tenant read: the published services of `tenant`'s district, read from the
    district's schema, as entries that link to the district's portal. Empty for everyone else.

    Narrowed by life-situation slug, search text, or primary keys (the API's global IDs)."""
    district = district_of(tenant)
    if district is None:
        return []
    from portalwerk.tenants.current import tenant_url

    provider = Provider(slug=district.slug, name=district.name, portal_url=tenant_url(district))
    base = provider.portal_url.rstrip("/")
    with schema_context(district.schema_name):
        if search is not None:
            entries = _search_here(search, detail=detail)
        else:
            services = published_services(detail=detail)
            if category:
                services = services.filter(categories__slug=category)
            if ids is not None:
                services = services.filter(pk__in=ids)
            entries = [entry_for(s) for s in services]
    for entry in entries:
        entry.provider = provider
        entry.url = base + entry.url
    return entries


def district_service_keys(tenant: Tenant) -> set[str]:
    """The services `tenant`'s district publishes (their keys): the district is responsible for
    them, so a member neither lists a copy nor takes applications for them (one route per
    service). Empty for a tenant without a district."""
    district = district_of(tenant)
    if district is None:
        return set()
    with schema_context(district.schema_name):
        return set(Service.objects.filter(is_published=True).values_list("slug", flat=True))


def services_for_portal(
    tenant: Tenant, *, category: str | None = None, detail: bool = False
) -> list[Entry]:
    """Everything a portal lists: the tenant's own published services and, for a member
    municipality, its district's, sorted by name in the active language."""
    services = published_services(detail=detail)
    if category:
        services = services.filter(categories__slug=category)
    entries = [entry_for(s) for s in services]
    entries += district_services(tenant, category=category, detail=detail)
    entries.sort(key=lambda e: sort_key(e.service.name))
    return entries


def entry_for(service: Service) -> Entry:
    return Entry(
        service=service,
        url=service.get_absolute_url(),
        categories=[c.name for c in service.categories.all()],
    )


def sort_key(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def initial(text: str) -> str:
    letter = sort_key(text)[:1].upper()
    return letter if letter.isalpha() else "#"


def a_to_z(tenant: Tenant) -> list[tuple[str, list[Entry]]]:
    groups: dict[str, list[Entry]] = {}
    for entry in services_for_portal(tenant):
        groups.setdefault(initial(entry.service.name), []).append(entry)
    return sorted(groups.items())


# --- search ---------------------------------------------------------------------------------------


def search_words(text: str) -> list[str]:
    """The words of a query, without anything that is tsquery syntax."""
    text = (text or "")[:MAX_QUERY_LENGTH]
    return re.findall(r"\w+", text.casefold())[:MAX_QUERY_WORDS]


def search_services(tenant: Tenant, text: str, *, detail: bool = False) -> list[Entry]:
    """Full-text search (German and English stemming, word prefixes so that "Hund" finds
    "Hundesteuer"), tolerant of small typos (trigram word similarity on the names), ranked, with
    the matches highlighted. Includes the district's services for members."""
    if not search_words(text):
        return []
    entries = _search_here(text, detail=detail) + district_services(
        tenant, search=text, detail=detail
    )
    entries.sort(key=lambda e: (-e.rank, sort_key(e.service.name)))
    return entries[:MAX_RESULTS]


# One statement does the matching, ranking and highlighting (Django's search expressions would
# compile to the same, but at several milliseconds of query building per search). Vectors are
# built on the fly: a tenant's catalogue is hundreds of rows, not millions.
SEARCH_SQL = """
WITH q AS (
    SELECT to_tsquery('german', %(raw)s) AS de, to_tsquery('english', %(raw)s) AS en
), v AS (
    SELECT s.id,
        setweight(to_tsvector('german', concat_ws(' ', s.name_de, s.search_terms)), 'A')
        || setweight(to_tsvector('german', s.summary_de), 'B')
        || setweight(to_tsvector('german', concat_ws(' ', s.description_de, s.documents_de,
                                                      s.eligibility_de)), 'C') AS vde,
        setweight(to_tsvector('english', concat_ws(' ', s.name_en, s.search_terms)), 'A')
        || setweight(to_tsvector('english', s.summary_en), 'B')
        || setweight(to_tsvector('english', concat_ws(' ', s.description_en, s.documents_en,
                                                       s.eligibility_en)), 'C') AS ven,
        greatest(word_similarity(%(plain)s, s.name_de),
                 word_similarity(%(plain)s, s.name_en),
                 word_similarity(%(plain)s, s.search_terms)) AS similarity
    FROM catalog_service s
    WHERE s.is_published
)
SELECT s.id,
    ts_rank(v.vde, q.de) + ts_rank(v.ven, q.en) + v.similarity * 0.5 AS rank,
    ts_headline('german', s.name_de, q.de, %(options)s),
    ts_headline('english', s.name_en, q.en, %(options)s),
    ts_headline('german', s.summary_de, q.de, %(options)s),
    ts_headline('english', s.summary_en, q.en, %(options)s)
FROM v JOIN catalog_service s ON s.id = v.id CROSS JOIN q
WHERE v.vde @@ q.de OR v.ven @@ q.en OR v.similarity >= %(threshold)s
ORDER BY rank DESC, s.name_de
LIMIT %(limit)s
"""
HEADLINE_OPTIONS = f"StartSel={_MARK_START}, StopSel={_MARK_END}, HighlightAll=true"


def _search_here(text: str, *, detail: bool = False) -> list[Entry]:
    """Search the current schema's published services."""
    words = search_words(text)
    if not words:
        return []
    params = {
        "raw": " & ".join(f"{word}:*" for word in words),
        "plain": " ".join(words),
        "options": HEADLINE_OPTIONS,
        "threshold": TYPO_THRESHOLD,
        "limit": MAX_RESULTS,
    }
    with connection.cursor() as cursor:
        cursor.execute(SEARCH_SQL, params)
        hits = cursor.fetchall()
    if not hits:
        return []
    services = published_services(detail=detail).in_bulk([hit[0] for hit in hits])
    entries = []
    for pk, rank, name_de, name_en, summary_de, summary_en in hits:
        service = services.get(pk)
        if service is None:  # unpublished in between
            continue
        entry = entry_for(service)
        entry.rank = float(rank)
        headlines = {"name_de": name_de, "name_en": name_en, "summary_de": summary_de}
        headlines["summary_en"] = summary_en
        name, summary = service.name, service.summary
        entry.name_html = _highlighted(headlines[f"name_{name.lang}"] or name)
        entry.summary_html = _highlighted(headlines[f"summary_{summary.lang}"] or summary)
        entries.append(entry)
    return entries


def _highlighted(text: str) -> SafeString:
    """ts_headline's output with our markers turned into <mark>, everything else escaped."""
    html = str(escape(text)).replace(_MARK_START, "<mark>").replace(_MARK_END, "</mark>")
    return mark_safe(html)  # noqa: S308 (escaped above; only our own markers become tags)
