import re

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.catalog import queries
from portalwerk.platform.catalog.models import Service


def result_names(tenant, text):
    with schema_context(tenant.schema_name):
        return [entry.service.name_de for entry in queries.search_services(tenant, text)]


def test_a_word_finds_the_compound_that_contains_it(catalogue, tenant_a):
    # given the demo catalogue with "Hund zur Hundesteuer anmelden"
    # when a citizen searches for "Hund"
    names = result_names(tenant_a, "Hund")
    # then the dog tax services are found (German stemming plus word prefixes)
    assert "Hund zur Hundesteuer anmelden" in names
    assert "Hund von der Hundesteuer abmelden" in names


def test_the_singular_finds_the_plural(district):
    # given a service that only mentions "Fischereischeine" (plural)
    with schema_context(district.schema_name):
        Service.objects.create(
            slug="angeln",
            name_de="Angeln für Gäste",
            summary_de="Auch Fischereischeine anderer Länder gelten hier.",
            is_published=True,
        )
    # when searching for the singular "Fischereischein"
    with schema_context(district.schema_name):
        entries = queries.search_services(district, "Fischereischein")
    # then it is found, with the plural highlighted
    assert [e.service.slug for e in entries] == ["angeln"]
    assert "<mark>Fischereischeine</mark>" in entries[0].summary_html


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("Hundestuer", "Hund zur Hundesteuer anmelden"),
        ("Persnalausweis", "Personalausweis beantragen"),
        ("Fischereiprüfnug", "Fischereiprüfung ablegen"),
    ],
)
def test_small_typos_are_tolerated(catalogue, tenant_a, district, typo, expected):
    # given the demo catalogue; when the query has a typo
    names = result_names(tenant_a, typo)
    # then the intended service is still found (trigram similarity)
    assert expected in names


def test_results_are_ranked_with_the_best_match_first(catalogue, tenant_a):
    # given several services mentioning identity documents
    # when searching for "Personalausweis"
    names = result_names(tenant_a, "Personalausweis")
    # then the service named so comes first, though others mention it in their documents
    assert names[0] == "Personalausweis beantragen"
    assert len(names) > 1


def test_search_page_highlights_the_matches(catalogue, client_for, tenant_a, english):
    # when a citizen searches for "Hundesteuer"
    response = english(client_for(tenant_a)).get("/search/", {"q": "Hundesteuer"})
    html = response.content.decode()
    # then both dog-tax services are listed with the word highlighted in the German fallback
    assert response.status_code == 200
    assert "2 services found for “Hundesteuer”" in html
    assert "Hund zur <mark>Hundesteuer</mark> anmelden" not in html  # English names exist
    assert "Register a dog for dog tax" in html
    german = client_for(tenant_a).get("/search/", {"q": "Hundesteuer"}).content.decode()
    assert "Hund zur <mark>Hundesteuer</mark> anmelden" in german


def test_search_in_english_uses_english_stemming(catalogue, client_for, tenant_a, english):
    client = english(client_for(tenant_a))
    response = client.get("/search/", {"q": "dogs"})
    html = response.content.decode()
    assert "Register a <mark>dog</mark> for <mark>dog</mark> tax" in html
    assert '<html lang="en">' in html


def test_member_search_includes_the_district_services(catalogue, tenant_a):
    # given a hunting exam only the district offers
    # when the member's citizens search for it
    with schema_context(tenant_a.schema_name):
        entries = queries.search_services(tenant_a, "Jägerprüfung")
    # then they find it, marked as the district's, linking to the district's portal
    assert entries[0].service.name_de == "Jägerprüfung ablegen"
    assert entries[0].provider.name == "Kreis Testland"
    assert entries[0].url.startswith("http://testland.localhost")


def test_markup_in_content_is_escaped_in_highlights(district, client_for):
    with schema_context(district.schema_name):
        Service.objects.create(
            slug="xss",
            name_de="Sperrmüll <script>alert(1)</script>",
            summary_de="Abholung von <b>Sperrmüll</b>",
            is_published=True,
        )
    html = client_for(district).get("/search/", {"q": "Sperrmüll"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>Sperrmüll</mark>" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "What are you looking for?"),
        ("   ", "What are you looking for?"),
        ("!!! ??? :*", "Please enter a word"),
        ("xqzjvwpk", "No services found for “xqzjvwpk”"),
        ("a & b | !c:* <-> 'd'", "services? found|No services found"),
        ("Hund" * 200, "services? found|No services found"),
    ],
)
def test_empty_and_nonsense_queries_get_a_helpful_page(
    catalogue, client_for, tenant_a, english, query, expected
):
    # when a citizen searches for nothing, for symbols, or for something that does not exist
    response = english(client_for(tenant_a)).get("/search/", {"q": query})
    html = response.content.decode()
    # then the page answers normally and helps on: a message, popular services, A–Z
    assert response.status_code == 200
    assert re.search(expected, html), html[:2000]
    assert "/services/" in html


@pytest.mark.parametrize(
    "query",
    ["_", "a_b", "Hund_steuer", "ß", "İ", "٣", "e\u0301", "a'b", "der die das", "and or not"],
)
def test_unusual_input_never_breaks_the_search(catalogue, client_for, tenant_a, query):
    # underscores, stop words only, other scripts, combining characters, quotes
    response = client_for(tenant_a).get("/search/", {"q": query})
    assert response.status_code == 200
    assert 'id="results-title"' in response.content.decode()
