"""Reads of the catalogue for the portal pages and the tenant API, already prefetched.

The one cross-tenant read is `district_services()`: a member municipality's portal also lists its
district's published services, marked as provided by the district and linking to the district's
portal. Nothing else here leaves the current tenant's schema.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db.models import F, FloatField, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest
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
    from portalwerk.platform.portal.views import tenant_url

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


def _search_here(text: str, *, detail: bool = False) -> list[Entry]:
    words = search_words(text)
    if not words:
        return []
    raw = " & ".join(f"{word}:*" for word in words)
    plain = " ".join(words)
    query = SearchQuery(raw, config="german", search_type="raw") | SearchQuery(
        raw, config="english", search_type="raw"
    )
    vector = (
        SearchVector("name_de", weight="A", config="german")
        + SearchVector("name_en", weight="A", config="english")
        + SearchVector("summary_de", weight="B", config="german")
        + SearchVector("summary_en", weight="B", config="english")
        + SearchVector(
            "description_de", "documents_de", "eligibility_de", weight="C", config="german"
        )
        + SearchVector(
            "description_en", "documents_en", "eligibility_en", weight="C", config="english"
        )
    )
    similarity = Greatest(
        TrigramWordSimilarity(Value(plain), "name_de"),
        TrigramWordSimilarity(Value(plain), "name_en"),
        output_field=FloatField(),
    )
    options = {"start_sel": _MARK_START, "stop_sel": _MARK_END, "highlight_all": True}
    german_query = SearchQuery(raw, config="german", search_type="raw")
    english_query = SearchQuery(raw, config="english", search_type="raw")
    rows = (
        published_services(detail=detail)
        .annotate(
            vector=vector,
            similarity=similarity,
            text_rank=SearchRank(vector, query),
        )
        .filter(Q(vector=query) | Q(similarity__gte=TYPO_THRESHOLD))
        .annotate(
            rank=Coalesce(F("text_rank"), Value(0.0)) + F("similarity") * Value(0.5),
            name_hl_de=SearchHeadline("name_de", german_query, config="german", **options),
            name_hl_en=SearchHeadline("name_en", english_query, config="english", **options),
            summary_hl_de=SearchHeadline("summary_de", german_query, config="german", **options),
            summary_hl_en=SearchHeadline("summary_en", english_query, config="english", **options),
        )
        .order_by("-rank", "name_de")[:MAX_RESULTS]
    )
    entries = []
    for service in rows:
        entry = entry_for(service)
        entry.rank = float(service.rank)
        name, summary = service.name, service.summary
        entry.name_html = _highlighted(getattr(service, f"name_hl_{name.lang}") or name)
        entry.summary_html = _highlighted(getattr(service, f"summary_hl_{summary.lang}") or summary)
        entries.append(entry)
    return entries


def _highlighted(text: str) -> SafeString:
    """ts_headline's output with our markers turned into <mark>, everything else escaped."""
    html = str(escape(text)).replace(_MARK_START, "<mark>").replace(_MARK_END, "</mark>")
    return mark_safe(html)  # noqa: S308 (escaped above; only our own markers become tags)
