"""The forms in the clerk workspace, by real requests: the list, a new form from scratch and
from the library, the form's settings and versions, a new draft version, withdrawing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.forms.engine.form import FormSpec
from portalwerk.platform.forms.models import Form, FormVersion
from tests.helpers.forms import DEFINITION, publish_form

PASSWORD = "Test-Passwort-2026!"


@pytest.fixture
def clerk_client(client_for, tenant_a, clerk):
    client = client_for(tenant_a)
    client.sign_in(clerk.email)
    return client


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_list_shows_each_form_with_its_state_and_submissions(
    clerk_client, published_form, tenant_a, clerk
):
    with schema_context(tenant_a.schema_name):
        draft_only = Form.objects.create(slug="draft-only", title={"de": "Nur Entwurf"})
        FormVersion.objects.create(form=draft_only, number=1, definition=DEFINITION)
    page = _page(clerk_client.get("/backoffice/forms/", HTTP_ACCEPT_LANGUAGE="de"))
    assert "Hundeanmeldung" in page and "Version 1 veröffentlicht" in page
    assert "Nur Entwurf" in page and "Entwurf Version 1 in Arbeit" in page
    assert f'href="/backoffice/forms/{published_form.pk}/"' in page


def test_the_list_costs_the_same_queries_for_one_form_and_for_many(
    clerk_client, published_form, tenant_a, clerk
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert clerk_client.get("/backoffice/forms/").status_code == 200
        return len(queries)

    one = count()
    with schema_context(tenant_a.schema_name):
        for n in range(5):
            publish_form(clerk, f"form-{n}", {"de": f"Formular {n}"}, DEFINITION)
    assert count() == one


def test_a_clerk_makes_a_form_from_scratch_without_json(clerk_client, tenant_a):
    response = clerk_client.post(
        "/backoffice/forms/new/",
        {
            "source": "scratch",
            "slug": "angelkarte",
            "title_de": "Angelkarte",
            "title_en": "Fishing permit",
            "description_de": "Für den Stadtsee",
            "description_en": "",
            "service_key": "",
            "retention_days": "180",
            "retention_action": "anonymise",
            "draft_days": "14",
            "processing_days": "10",
        },
    )
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        form = Form.objects.get(slug="angelkarte")
        version = form.versions.get()
    assert form.title == {"de": "Angelkarte", "en": "Fishing permit"}
    assert form.description == {"de": "Für den Stadtsee"}
    assert (form.retention_days, form.retention_action, form.draft_days) == (180, "anonymise", 14)
    assert form.processing_days == 10
    assert version.status == "draft" and FormSpec.from_definition(version.definition).steps
    assert response["Location"] == f"/backoffice/forms/{form.pk}/"


def test_a_wrong_setting_is_named_and_nothing_is_made(clerk_client, tenant_a):
    response = clerk_client.post(
        "/backoffice/forms/new/",
        {"source": "scratch", "slug": "Angel Karte", "title_de": "Angelkarte",
         "retention_days": "365", "retention_action": "delete", "draft_days": "30"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and 'href="#f-slug"' in page
    assert 'value="Angelkarte"' in page  # what was typed stays
    response = clerk_client.post(
        "/backoffice/forms/new/",
        {"source": "scratch", "slug": "angelkarte", "title_de": "Angelkarte",
         "retention_days": "viele", "retention_action": "delete", "draft_days": "30"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400 and 'href="#f-retention_days"' in response.content.decode()
    with schema_context(tenant_a.schema_name):
        assert not Form.objects.exists()


def test_a_clerk_copies_a_form_from_the_library(clerk_client, tenant_a):
    from portalwerk.platform.formlibrary.library import sync_library

    sync_library()
    page = _page(clerk_client.get("/backoffice/forms/new/", HTTP_ACCEPT_LANGUAGE="de"))
    assert "Hundesteuer" in page or "Hund" in page
    response = clerk_client.post(
        "/backoffice/forms/new/",
        {"source": "library", "template": "dog-tax-registration", "library_slug": "hunde"},
    )
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        form = Form.objects.get(slug="hunde")
        assert form.template_key == "dog-tax-registration"
        assert form.versions.get().status == "draft"
