"""Every link on every demo service page leads somewhere: the demo data of a district and of a
member municipality seeded as `portalwerk demo` seeds them (form library, forms, catalogue,
appointments), then each service page's links followed as a citizen would."""

import html
import re

import pytest
from django.core.cache import cache
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.appointments.demo import seed_appointments
from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.catalog import demo as catalog_demo
from portalwerk.platform.catalog.models import Office, Service
from portalwerk.platform.forms import demo as forms_demo

ACTIONS = re.compile(r'<ul class="actions">(.*?)</ul>', re.S)
HREF = re.compile(r'href="([^"]+)"')


def hrefs(page: str) -> list[str]:
    return [html.unescape(h) for h in HREF.findall(page)]


def seed_demo(tenants) -> None:
    """The demo seeding of platform/demo_data.py, for these tenants, in its order."""
    forms_demo.seed_library()
    catalog_demo.seed(tenants)
    for tenant in tenants:
        with schema_context(tenant.schema_name):
            admin = User.objects.create_user(
                f"admin@{tenant.slug}.example", "x" * 16, role=Role.TENANT_ADMIN
            )
            forms_demo.seed_forms(actor=from_user(admin))
    for tenant in tenants:
        with schema_context(tenant.schema_name):
            seed_appointments()


@pytest.fixture
def demo_tenants(district, tenant_a):
    seed_demo([district, tenant_a])
    cache.clear()
    yield [district, tenant_a]
    cache.clear()


@pytest.mark.parametrize("which", ["district", "member"])
def test_every_link_on_every_demo_service_page_leads_somewhere(demo_tenants, client_for, which):
    tenant = demo_tenants[0 if which == "district" else 1]
    with schema_context(tenant.schema_name):
        slugs = list(Service.objects.filter(is_published=True).values_list("slug", flat=True))
        office_slugs = list(Office.objects.values_list("slug", flat=True))
    client = client_for(tenant)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    visited: dict[str, int] = {}
    buttons: list[str] = []

    def follow(path: str) -> int:
        if path not in visited:
            visited[path] = client.get(path, follow=True).status_code
        return visited[path]

    pages = [f"/services/{slug}/" for slug in slugs] + [f"/offices/{s}/" for s in office_slugs]
    for page_path in pages:
        response = client.get(page_path)
        assert response.status_code == 200, page_path
        page = response.content.decode()
        # the buttons ("Apply online", "Book an appointment") stay on the tenant's portal
        for block in ACTIONS.findall(page):
            for href in hrefs(block):
                assert href.startswith("/"), (page_path, href)
                buttons.append(href)
        # when a citizen follows any link of the page on this portal, it is there
        for href in hrefs(page):
            if href.startswith("/") and not href.startswith("//"):
                assert follow(href) == 200, (page_path, href, visited[href])
    # the demo has forms and appointments on both kinds of tenant; each button was followed
    assert any(b.startswith("/forms/") for b in buttons), buttons
    assert any(b.startswith("/appointments/") for b in buttons), buttons
    assert len(visited) > 20


def test_an_appointment_link_lands_on_the_office_choice_for_that_service(demo_tenants, client_for):
    # given the member's demo catalogue page for the ID card
    client = client_for(demo_tenants[1])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get("/services/personalausweis/").content.decode()
    (link,) = [h for h in hrefs(ACTIONS.search(page).group(1)) if "/appointments/" in h]
    # when the citizen follows "Book an appointment"
    response = client.get(link, follow=True)
    # then they choose where to go for that service: the catalogue's citizens' office
    body = response.content.decode()
    assert response.status_code == 200 and "Choose an office" in body
    assert "Personalausweis beantragen" in body and "Rathausplatz 1" in body


def test_a_form_link_opens_the_adopted_form(demo_tenants, client_for):
    client = client_for(demo_tenants[0])
    page = client.get("/services/fischereipruefung/").content.decode()
    (link,) = [h for h in hrefs(ACTIONS.search(page).group(1)) if "/forms/" in h]
    assert link == "/forms/fishing-licence-exam/"
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert "Antrag auf Zulassung zur Fischerprüfung" in response.content.decode()
