"""Tenant names in German sentences: designation, article and case, without doubling the kind;
English sentences keep the name as it is. Checked on the pages and messages that use them."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portalwerk.platform.authz.actors import system
from portalwerk.tenants import names, services
from portalwerk.tenants.models import Tenant, TenantStatus


@pytest.mark.parametrize(
    ("name", "case", "german"),
    [
        ("Kreis Musterland", "genitive", "des Kreises Musterland"),
        ("Kreis Musterland", "in", "im Kreis Musterland"),
        ("Kreis Musterland", "from", "vom Kreis Musterland"),
        ("Kreis Musterland", "nominative", "der Kreis Musterland"),
        ("Landkreis Musterland", "genitive", "des Landkreises Musterland"),
        ("Gemeinde Testdorf", "genitive", "der Gemeinde Testdorf"),
        ("Gemeinde Testdorf", "in", "in der Gemeinde Testdorf"),
        ("Stadt Musterstadt", "from", "von der Stadt Musterstadt"),
        ("Markt Schwaben", "genitive", "des Marktes Schwaben"),
        ("Verbandsgemeinde Westerwald", "genitive", "der Verbandsgemeinde Westerwald"),
        ("Amt Hüttener Berge", "in", "im Amt Hüttener Berge"),
        ("Große Kreisstadt Musterburg", "genitive", "der Großen Kreisstadt Musterburg"),
        ("Musterstadt", "genitive", "von Musterstadt"),
        ("Musterstadt", "in", "in Musterstadt"),
        ("Stadtwerke", "genitive", "von Stadtwerke"),  # "Stadt" only as a whole word
    ],
)
def test_german_forms_of_a_tenant_name(name, case, german):
    assert names.phrase(name, case, lang="de") == german


def test_a_bare_name_gets_its_kind_where_a_sentence_needs_one():
    assert names.phrase("Musterland", "in", lang="de", kind="district") == "im Kreis Musterland"
    assert names.phrase("Kreis Musterland", "in", lang="de", kind="district") == (
        "im Kreis Musterland"
    )


def test_english_keeps_the_name_as_it_is():
    with translation.override("en"):
        assert names.phrase("Kreis Musterland", "genitive") == "Kreis Musterland"


def test_the_home_page_names_the_portal_in_the_genitive(client_for, tenant_b):
    html = client_for(tenant_b).get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Serviceportal der Gemeinde Beta" in html
    assert "Serviceportal Gemeinde Beta" not in html


def test_the_unavailable_page_says_der_gemeinde(client_for, tenant_b):
    Tenant.objects.filter(pk=tenant_b.pk).update(status=TenantStatus.SUSPENDED)
    html = client_for(tenant_b).get("/").content.decode()
    assert "Das Serviceportal der Gemeinde Beta ist zurzeit nicht erreichbar" in html
    assert "The service portal of Gemeinde Beta cannot be reached" in html


def test_the_platform_home_does_not_repeat_a_kind_the_name_says(client_for, platform_tenant):
    with translation.override("de"):
        services.create_tenant(
            actor=system("tests"),
            data=services.NewTenant(name="Musterdorf", slug="musterdorf", kind="municipality"),
        )
    html = client_for(platform_tenant).get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Stadt Alpha</a>" in html
    assert "(Gemeinde)" not in html.split("Stadt Alpha</a>", 1)[1].split("</li>", 1)[0]
    assert 'Musterdorf</a> <span class="kind">(Gemeinde)</span>' in html


def test_a_key_outside_the_district_names_it_once(db):
    with translation.override("de"), pytest.raises(ValidationError) as exc:
        services.validate_new_tenant(
            services.NewTenant(
                name="Gemeinde Gamma",
                slug="gamma",
                kind="municipality",
                parent_slug="testland",
                official_key="06411000",
            )
        )
    message = exc.value.error_dict["official_key"][0].message
    assert "liegt nicht im Kreis Testland" in message
    assert "Kreis Kreis" not in message
