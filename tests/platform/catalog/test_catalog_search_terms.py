"""Search finds the words people use: each service's search terms ("Kataster", "Flurkarte" for
"Auszug aus der Liegenschaftskarte"), shipped for the demo catalogue and kept by clerks in the
back office (through the catalogue service, audited)."""

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django_tenants.utils import schema_context

from portalwerk.platform.audit.models import Entry as AuditEntry
from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.catalog import queries, services
from portalwerk.platform.catalog.models import Service
from portalwerk.platform.library.errors import CatalogErrorCode as Code


def found(tenant, text) -> list[str]:
    with schema_context(tenant.schema_name):
        return [e.service.slug for e in queries.search_services(tenant, text)]


@pytest.mark.parametrize(
    ("words", "slug"),
    [
        ("Flurkarte", "liegenschaftskarte"),
        ("Kataster", "liegenschaftskarte"),
        ("Angelschein", "fischereischein"),
        ("Hundemarke", "hundesteuer-anmelden"),
        ("Umzug", "wohnsitz-anmelden"),
        ("Flurkate", "liegenschaftskarte"),  # a typo in a search term
    ],
)
def test_the_words_people_use_find_the_service(catalogue, tenant_a, words, slug):
    assert slug in found(tenant_a, words)[:3]


def test_the_search_page_lists_the_service_for_a_search_term(catalogue, client_for, tenant_a):
    html = client_for(tenant_a).get("/search/?q=Flurkarte", HTTP_ACCEPT_LANGUAGE="de")
    assert "Auszug aus der Liegenschaftskarte" in html.content.decode()


def admin_form_data(service: Service, **changes) -> dict:
    data = {k: v for k, v in model_to_dict(service).items() if v is not None}
    data["categories"] = [c.pk for c in service.categories.all()]
    for flag in ("is_published", "is_top"):
        if not data.get(flag):
            data.pop(flag, None)
    data.update(changes)
    return data


def test_a_clerk_keeps_the_search_terms_in_the_back_office(catalogue, clerk, client_for, tenant_a):
    client = client_for(tenant_a)
    client.sign_in(clerk.email)
    with schema_context(tenant_a.schema_name):
        service = Service.objects.get(slug="sperrmuell")
        data = admin_form_data(service, search_terms="Entrümpelung\nalte Matratze\nentrümpelung")
    # when the clerk adds search terms on the service's page
    response = client.post(f"/backoffice/catalog/service/{service.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    # then the search finds the service by them, and the change is on record
    assert found(tenant_a, "Entrümpelung")[:1] == ["sperrmuell"]
    with schema_context(tenant_a.schema_name):
        assert Service.objects.get(pk=service.pk).search_terms == "Entrümpelung\nalte Matratze"
        entry = AuditEntry.objects.get(action="service.search_terms_changed")
        assert (entry.object_id, entry.actor_user_id) == (str(service.pk), clerk.pk)


def test_too_many_or_too_long_terms_are_refused_at_the_field(
    catalogue, clerk, client_for, tenant_a
):
    client = client_for(tenant_a)
    client.sign_in(clerk.email)
    client.cookies["django_language"] = "en"
    with schema_context(tenant_a.schema_name):
        service = Service.objects.get(slug="sperrmuell")
        before = service.search_terms
    for terms, message in [
        ("\n".join(f"Wort{n}" for n in range(31)), "at most 30 search terms"),
        ("x" * 61, "at most 60 characters"),
    ]:
        data = admin_form_data(service, search_terms=terms)
        response = client.post(f"/backoffice/catalog/service/{service.pk}/change/", data)
        assert response.status_code == 200
        assert message in response.content.decode()
    with schema_context(tenant_a.schema_name):
        assert Service.objects.get(pk=service.pk).search_terms == before


def test_only_staff_who_configure_the_catalogue_change_search_terms(catalogue, tenant_a, citizen):
    with schema_context(tenant_a.schema_name):
        service = Service.objects.get(slug="sperrmuell")
        with pytest.raises(ValidationError):
            services.set_search_terms(actor=from_user(citizen), service=service, terms="Müll")
        assert Service.objects.get(pk=service.pk).search_terms != "Müll"


def test_the_service_refuses_too_many_terms_with_a_code(catalogue, tenant_a, clerk):
    with schema_context(tenant_a.schema_name):
        service = Service.objects.get(slug="sperrmuell")
        with pytest.raises(ValidationError) as exc:
            services.set_search_terms(
                actor=from_user(clerk), service=service, terms=[f"w{n}" for n in range(31)]
            )
    assert exc.value.error_dict["search_terms"][0].code == Code.TOO_MANY_SEARCH_TERMS
