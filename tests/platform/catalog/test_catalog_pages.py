import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import system
from portalwerk.platform.catalog import pagecache
from portalwerk.platform.catalog.models import Category, PortalSettings, Service
from portalwerk.platform.catalog.queries import MAX_RESULTS

PAGES = [
    "/",
    "/services/",
    "/services/fischereischein/",
    "/offices/ordnung/",
    "/life-situations/jagd-und-fischerei/",
    "/search/?q=Fischerei",
    "/imprint/",
    "/privacy/",
    "/accessibility/",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_type_answers_in_german_and_english(
    catalogue, client_for, district, english, path
):
    german = client_for(district).get(path)
    assert german.status_code == 200
    assert '<html lang="de">' in german.content.decode()
    response = english(client_for(district)).get(path)
    html = response.content.decode()
    assert '<html lang="en">' in html
    # every page has the skip link, the language switch and the legal links
    assert 'class="skip-link" href="#main"' in html
    assert 'name="language" value="de"' in html
    assert 'href="/accessibility/"' in html and 'href="/imprint/"' in html


def test_the_language_switch_changes_the_page_language(catalogue, client_for, district):
    client = client_for(district)
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/services/fischereipruefung/"}
    )
    assert response.status_code == 302
    html = client.get("/services/fischereipruefung/").content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Fishing licence exam</h1>" in html


def test_the_service_page_tells_what_a_citizen_needs(catalogue, client_for, district, english):
    html = english(client_for(district)).get("/services/fischereipruefung/").content.decode()
    assert "<h1>Fishing licence exam</h1>" in html
    assert "Who may apply" in html and "People aged 14 or over" in html
    assert "<li>Certificate of the preparatory course</li>" in html
    assert "60.00 euros" in html
    assert 'href="/offices/ordnung/"' in html
    assert "99063004012000" in html
    # the German legal basis has no English text: shown in German and marked as such
    assert '<div lang="de"><p>Landesfischereigesetz' in html


def test_the_german_service_page_uses_german_number_format(catalogue, client_for, district):
    html = client_for(district).get("/services/fischereipruefung/").content.decode()
    assert "<h1>Fischereiprüfung ablegen</h1>" in html
    assert "60,00" in html


def test_links_to_form_and_appointment_appear_when_they_exist(catalogue, client_for, tenant_a):
    html = client_for(tenant_a).get("/services/personalausweis/").content.decode()
    assert 'href="/appointments/personalausweis/"' in html
    assert 'href="/forms/' not in html
    html = client_for(tenant_a).get("/services/hundesteuer-anmelden/").content.decode()
    assert 'href="/forms/dog-tax-registration/"' in html


def test_unpublished_and_unknown_services_are_not_found(catalogue, client_for, tenant_a):
    with schema_context(tenant_a.schema_name):
        Service.objects.filter(slug="reisepass").update(is_published=False)
    assert client_for(tenant_a).get("/services/reisepass/").status_code == 404
    assert client_for(tenant_a).get("/services/gibt-es-nicht/").status_code == 404
    assert client_for(tenant_a).get("/offices/gibt-es-nicht/").status_code == 404
    assert client_for(tenant_a).get("/life-situations/gibt-es-nicht/").status_code == 404
    assert "reisepass" not in client_for(tenant_a).get("/services/").content.decode()


def test_the_office_page_shows_hours_with_breaks_closures_and_access(
    catalogue, client_for, tenant_a, english
):
    html = english(client_for(tenant_a)).get("/offices/buergerbuero/").content.decode()
    assert re.search(r"Tuesday</th><td>08:00 to 12:00, 13:00 to 18:00</td>", html)
    assert re.search(r"Saturday</th><td>closed</td>", html)
    assert "Christmas and New Year" in html
    assert "Step-free access" in html
    assert 'href="/services/wohnsitz-anmelden/"' in html


def test_a_to_z_groups_by_initial_letter_with_umlauts_sorted_in(catalogue, client_for, tenant_a):
    html = client_for(tenant_a).get("/services/").content.decode()
    letters = re.findall(r'<h2 id="letter-(\w)"', html)
    assert letters == sorted(letters)
    assert {"A", "F", "J", "W"} <= set(letters)
    # "Führerschein umtauschen" (district) is under F
    section = html.split('id="letter-F"')[1].split("<h2")[0]
    assert "Führerschein umtauschen" in section


def test_the_home_page_shows_search_top_services_and_life_situations(
    catalogue, client_for, tenant_a
):
    html = client_for(tenant_a).get("/").content.decode()
    assert 'role="search"' in html and 'name="q"' in html
    assert 'href="/services/wohnsitz-anmelden/"' in html  # marked most used
    assert 'href="/life-situations/umzug-und-wohnen/"' in html


def test_legal_pages_are_each_tenants_own(catalogue, client_for, tenant_a, tenant_b, english):
    alpha = english(client_for(tenant_a)).get("/imprint/").content.decode()
    assert "Stadt Alpha" in alpha and "Represented by" in alpha
    beta = english(client_for(tenant_b)).get("/imprint/").content.decode()
    assert "Stadt Alpha" not in beta
    assert "has not published its imprint here yet" in beta
    statement = english(client_for(tenant_a)).get("/accessibility/").content.decode()
    assert "mailto:barrierefreiheit@alpha.example" in statement
    assert "Feedback and contact" in statement


def test_the_brand_colour_is_applied(catalogue, client_for, district):
    html = client_for(district).get("/").content.decode()
    assert "--primary: #8a1538;" in html


def test_the_platform_host_has_no_catalogue(client_for):
    response = client_for("localhost").get("/")
    assert response.status_code == 200
    assert client_for("localhost").get("/services/").status_code == 404


def _count_queries(client, path) -> tuple[int, int]:
    """(queries, services listed) of one rendering of the page."""
    cache.clear()
    pagecache.clear()  # measure the rendering, not the page cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    listed = set(re.findall(r'href="/services/(leistung-\d+)/"', response.content.decode()))
    return len(queries), len(listed)


@pytest.mark.parametrize("path", ["/services/", "/life-situations/viel/", "/search/?q=Leistung"])
def test_list_pages_need_the_same_number_of_queries_for_1_and_100_services(
    client_for, tenant_b, path
):
    with schema_context(tenant_b.schema_name):
        category = Category.objects.create(slug="viel", name_de="Viel")
        first = Service.objects.create(
            slug="leistung-0", name_de="Leistung 0", summary_de="Leistung", is_published=True
        )
        first.categories.add(category)
    client = client_for(tenant_b)
    _count_queries(client, path)  # warm: host routing and content types are cached
    one = _count_queries(client, path)
    with schema_context(tenant_b.schema_name):
        for n in range(1, 100):
            s = Service.objects.create(
                slug=f"leistung-{n}", name_de=f"Leistung {n}", summary_de="x", is_published=True
            )
            s.categories.add(category)
    hundred = _count_queries(client, path)
    # the page lists all of them (search: its best MAX_RESULTS), for the queries one cost
    listed = MAX_RESULTS if path.startswith("/search/") else 100
    assert one[1] == 1
    assert hundred == (one[0], listed), (one, hundred)


def test_portal_settings_default_when_none_saved(tenant_b):
    with schema_context(tenant_b.schema_name):
        assert PortalSettings.load().primary_colour == "#00548a"


def test_a_saved_brand_colour_shows_at_once_despite_the_cache(catalogue, client_for, district):
    from portalwerk.platform.catalog import services

    client = client_for(district)
    assert "--primary: #8a1538;" in client.get("/").content.decode()  # now cached
    with schema_context(district.schema_name):
        settings = PortalSettings.objects.get()
        settings.primary_colour = "#5a2d82"
        services.save_portal_settings(actor=system("clerk"), settings=settings)
    assert "--primary: #5a2d82;" in client.get("/").content.decode()


def test_a_missing_page_helps_on_in_the_portals_layout(catalogue, client_for, tenant_a, english):
    response = english(client_for(tenant_a)).get("/services/gibt-es-nicht/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="en">' in html and "<h1>Page not found</h1>" in html
    assert 'href="/search/"' in html and 'class="skip-link"' in html
    platform = english(client_for("localhost")).get("/gibt-es-nicht/")
    assert platform.status_code == 404 and "Page not found" in platform.content.decode()
