"""The tenant API's `services` list is paged in the database (issue 17: on main it built the whole
catalogue of both schemas for any `first`): a page reads its own rows, whatever the catalogue's
size, and the list keeps the portal's order and totals."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import translation
from django_tenants.utils import schema_context
from test_catalog_api import run

from portalwerk.platform.catalog import demo, queries
from portalwerk.platform.catalog.models import Category, Service

PAGE = """
query ($category: String, $first: Int, $after: String, $last: Int) {
  services(category: $category, first: $first, after: $after, last: $last) {
    totalCount
    edges { cursor node { slug name providedBy { name } } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""

# names whose order needs the portal's sort key: umlauts, case, accents, punctuation, blank
# English names (German fallback), names equal but for case, and the same names in both schemas
NAMES = [
    ("Zulassung", "Vehicle registration"),
    ("Ärztlicher Notdienst", ""),
    ("anmeldung Wohnsitz", "Registering an address"),
    ("Abfall", "   "),
    ("Élan-Kurs", "élan course"),
    ("Öffnungszeiten", "Opening hours"),
    ("10-Jahres-Ausweis", "10-year ID card"),
    ("Hundesteuer", "Dog tax"),
    ("hundesteuer", "dog tax"),
    ("Ueberweisung", "Transfer"),
]


def _add(tenant, prefix: str, names, category: str | None = None) -> None:
    with schema_context(tenant.schema_name):
        cat = Category.objects.get_or_create(slug="alle", defaults={"name_de": "Alle"})[0]
        for n, (de, en) in enumerate(names):
            service = Service.objects.create(
                slug=f"{prefix}-{n}", name_de=de, name_en=en, summary_de="Kurz.", is_published=True
            )
            if category or n % 2 == 0:
                service.categories.add(cat)
        Service.objects.create(
            slug=f"{prefix}-hidden", name_de="Aaa verborgen", summary_de="x", is_published=False
        )


def _walk(tenant, language: str, step: int, **variables) -> tuple[list[tuple], int]:
    """Every (slug, from the district) of the list, page by page; and the total it reports."""
    seen, after = [], None
    while True:
        data = run(tenant, PAGE, language, first=step, after=after, **variables)["services"]
        seen += [(e["node"]["slug"], e["node"]["providedBy"] is not None) for e in data["edges"]]
        if not data["pageInfo"]["hasNextPage"]:
            return seen, data["totalCount"]
        after = data["pageInfo"]["endCursor"]


def _portal_order(tenant, language: str, category: str | None = None) -> list[tuple]:
    connection.set_tenant(tenant)
    try:
        with translation.override(language):
            entries = queries.services_for_portal(tenant, category=category)
            return [(e.service.slug, e.is_district) for e in entries]
    finally:
        connection.set_schema_to_public()


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("category", [None, "alle"])
def test_pages_walk_the_portal_order_of_both_schemas(district, tenant_b, language, category):
    # given a member and its district, with names that sort only by the portal's key
    _add(tenant_b, "own", NAMES)
    _add(district, "kreis", NAMES[3:])
    expected = _portal_order(tenant_b, language, category)
    assert len(expected) == (17 if category is None else 9)
    # when a client walks the list in pages of 3 (then of 100)
    walked, total = _walk(tenant_b, language, 3, category=category)
    whole, _ = _walk(tenant_b, language, 100, category=category)
    # then it sees the portal's list, in its order, each service once, with the right total
    assert walked == expected
    assert whole == expected
    assert total == len(expected)


def test_last_gives_the_end_of_the_list(district, tenant_b):
    _add(tenant_b, "own", NAMES)
    _add(district, "kreis", NAMES[3:])
    expected = _portal_order(tenant_b, "de")
    data = run(tenant_b, PAGE, last=4)["services"]
    assert [e["node"]["slug"] for e in data["edges"]] == [slug for slug, _ in expected[-4:]]
    assert data["pageInfo"]["hasPreviousPage"] is True
    assert data["pageInfo"]["hasNextPage"] is False
    assert run(tenant_b, PAGE, last=40)["services"]["pageInfo"]["hasPreviousPage"] is False


def _rows_read(tenant, query: str = PAGE, **variables) -> tuple[int, int, int]:
    """(statements, rows they returned, edges) of one request for a page of services."""
    counts = [0, 0]

    def count_rows(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        counts[0] += 1
        counts[1] += max(context["cursor"].rowcount, 0)
        return result

    with connection.execute_wrapper(count_rows):
        data = run(tenant, query, **variables)
    return counts[0], counts[1], len(data["services"]["edges"])


def test_a_page_reads_its_own_rows_not_the_whole_catalogue(district, tenant_b):
    # given a member and its district with 10 services each
    _add(tenant_b, "own", [(f"Leistung {n:03d}", "") for n in range(10)])
    _add(district, "kreis", [(f"Kreisleistung {n:03d}", "") for n in range(10)])
    _rows_read(tenant_b, first=5)  # warm: content types, host lookups
    small = _rows_read(tenant_b, first=5)
    # when both grow to 300 services
    _add(tenant_b, "more", [(f"Mehr {n:03d}", "") for n in range(290)])
    _add(district, "mehr", [(f"Kreismehr {n:03d}", "") for n in range(290)])
    large = _rows_read(tenant_b, first=5)
    # then a page of 5 costs the same statements and reads the same number of rows
    assert large[2] == small[2] == 5
    assert large == small, (small, large)
    # and a page deep in the list (only the member's own services there) no more
    deep = _rows_read(tenant_b, first=5, after=_cursor(500))
    assert deep[2] == 5
    assert deep[0] <= small[0] and deep[1] <= small[1], (small, deep)


def _cursor(position: int) -> str:
    from strawberry.relay import to_base64
    from strawberry.relay.types import PREFIX

    return to_base64(PREFIX, position)


def test_opening_hours_are_read_only_for_a_list_that_shows_them(district, tenant_a):
    # given the demo catalogue, whose offices have opening hours
    demo.seed([district, tenant_a])
    plain = "{ services(first: 5) { edges { node { name office { name } } } } }"
    hours = (
        "{ services(first: 5) { edges { node { name office { ...H } } } } }"
        " fragment H on Office { openingHours { weekday } closures { reason } }"
    )
    asked, _rows, _edges = _rows_read(tenant_a, hours)
    not_asked, _rows, _edges = _rows_read(tenant_a, plain)
    # then a list asking through a fragment gets them, and one that does not reads less
    data = run(tenant_a, hours)["services"]["edges"]
    assert any(edge["node"]["office"]["openingHours"] for edge in data if edge["node"]["office"])
    assert not_asked < asked
