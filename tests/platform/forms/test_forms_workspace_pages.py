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
        {
            "source": "scratch",
            "slug": "Angel Karte",
            "title_de": "Angelkarte",
            "retention_days": "365",
            "retention_action": "delete",
            "draft_days": "30",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and 'href="#f-slug"' in page
    assert 'value="Angelkarte"' in page  # what was typed stays
    response = clerk_client.post(
        "/backoffice/forms/new/",
        {
            "source": "scratch",
            "slug": "angelkarte",
            "title_de": "Angelkarte",
            "retention_days": "viele",
            "retention_action": "delete",
            "draft_days": "30",
        },
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


def _new_draft_with_changes(client, form, tenant, clerk):
    from portalwerk.platform.authz.actors import from_user
    from portalwerk.platform.forms import services

    assert client.post(f"/backoffice/forms/{form.pk}/new-version/").status_code == 302
    with schema_context(tenant.schema_name):
        draft = form.versions.get(status="draft")
        definition = draft.definition
        definition["steps"][0]["fields"][1]["required"] = False
        definition["steps"][0]["fields"].append(
            {"key": "phone", "type": "phone", "label": {"de": "Telefon", "en": "Phone"}}
        )
        services.save_version_definition(
            actor=from_user(clerk), version=draft, definition=definition
        )
    return draft


def test_publishing_shows_the_differences_first_and_keeps_what_citizens_submitted(
    clerk_client, published_form, tenant_a, clerk
):
    from tests.platform.forms.test_inbox import make_submission

    submitted = make_submission(tenant_a)
    draft = _new_draft_with_changes(clerk_client, published_form, tenant_a, clerk)
    url = f"/backoffice/forms/{published_form.pk}/versions/{draft.number}/publish/"
    page = _page(clerk_client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert "What changes from version 1 (published) to version 2" in page
    assert "Field “Last name”: no longer required." in page
    assert "Field “Phone” added to step “About you”." in page
    with schema_context(tenant_a.schema_name):
        assert published_form.published_version.number == 1  # looking changed nothing
    assert clerk_client.post(url).status_code == 302
    with schema_context(tenant_a.schema_name):
        versions = {v.number: v.status for v in published_form.versions.all()}
        submitted.refresh_from_db()
        assert versions == {1: "superseded", 2: "published"}
        # the submission keeps the version it was made with, and its answers
        assert submitted.version.number == 1
        assert submitted.answers["last_name"] == "Muster0"
        assert "phone" not in submitted.version.spec.fields_by_key


def test_any_two_versions_can_be_compared(clerk_client, published_form, tenant_a, clerk):
    draft = _new_draft_with_changes(clerk_client, published_form, tenant_a, clerk)
    base = f"/backoffice/forms/{published_form.pk}/compare/"
    page = _page(clerk_client.get(base, HTTP_ACCEPT_LANGUAGE="en"))
    assert "From version 1 to version 2" in page and "Field “Phone” added" in page
    back = _page(clerk_client.get(f"{base}?from={draft.number}&to=1", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Field “Phone” removed from step “About you”." in back
    same = _page(clerk_client.get(f"{base}?from=1&to=1", HTTP_ACCEPT_LANGUAGE="en"))
    assert "No differences." in same


def test_the_form_page_lists_versions_and_saves_settings(clerk_client, published_form, tenant_a):
    page = _page(
        clerk_client.get(f"/backoffice/forms/{published_form.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    )
    assert "Version 1 is published." in page and "Make a new draft version" in page
    assert f"/backoffice/forms/{published_form.pk}/versions/1/preview/" in page
    response = clerk_client.post(
        f"/backoffice/forms/{published_form.pk}/",
        {
            "title_de": "Hund anmelden",
            "title_en": "Register a dog",
            "service_key": "",
            "retention_days": "400",
            "retention_action": "delete",
            "draft_days": "30",
            "processing_days": "",
        },
    )
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        published_form.refresh_from_db()
    assert published_form.title == {"de": "Hund anmelden", "en": "Register a dog"}
    assert published_form.retention_days == 400 and published_form.processing_days is None
    assert published_form.slug == "dog-licence"


def test_withdrawing_asks_first_and_says_what_it_does(clerk_client, published_form, tenant_a):
    from tests.platform.forms.test_inbox import make_submission

    make_submission(tenant_a)
    url = f"/backoffice/forms/{published_form.pk}/withdraw/"
    page = _page(clerk_client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert "Citizens can no longer start it" in page
    assert "The 1 submission received stays in the inbox, unchanged." in page
    with schema_context(tenant_a.schema_name):
        assert Form.objects.get().is_active  # asking changed nothing
    assert clerk_client.post(url).status_code == 302
    with schema_context(tenant_a.schema_name):
        form = Form.objects.get()
        assert not form.is_active and form.published_version is None
    listing = _page(clerk_client.get("/backoffice/forms/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Withdrawn" in listing


def test_the_preview_frames_the_citizens_pages_at_desktop_and_phone_width(
    clerk_client, published_form
):
    base = f"/backoffice/forms/{published_form.pk}/versions/1/preview/"
    page = _page(clerk_client.get(base, HTTP_ACCEPT_LANGUAGE="en"))
    assert f'src="{base}frame/" width="360"' in page and f'src="{base}frame/" width="1280"' in page
    assert clerk_client.get(base)["X-Frame-Options"] == "DENY"
    frame = clerk_client.get(base + "frame/", HTTP_ACCEPT_LANGUAGE="en")
    # only the frame may be framed, and only by our own pages
    assert frame["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in frame["Content-Security-Policy"]
    content = _page(frame)
    assert "Name of the dog" in content and "Step 2 of 4" in content
    assert 'id="f-first_name"' in content  # the citizen's own field markup


@pytest.mark.parametrize("who", ["anonymous", "citizen", "other tenant", "reader"])
def test_who_may_not_build_forms_changes_nothing(
    who, client_for, published_form, tenant_a, tenant_b, citizen, other_tenant_clerk
):
    client = client_for(tenant_a)
    if who == "citizen":
        client.sign_in(citizen.email)
    elif who == "other tenant":
        client.sign_in(other_tenant_clerk.email)
    elif who == "reader":
        with schema_context(tenant_a.schema_name):
            User.objects.create_user("reader@alpha.example", PASSWORD, role=Role.CLERK_READER)
        client.sign_in("reader@alpha.example")
    base = f"/backoffice/forms/{published_form.pk}/"
    writes = [
        client.post("/backoffice/forms/new/", {"source": "scratch", "slug": "x", "title_de": "X"}),
        client.post(base, {"title_de": "Geändert", "retention_days": "1", "draft_days": "1"}),
        client.post(base + "new-version/"),
        client.post(base + "withdraw/"),
        client.post(base + "versions/1/publish/"),
    ]
    reads = [client.get("/backoffice/forms/"), client.get(base + "versions/1/export/")]
    if who == "reader":
        # a reader sees the forms but changes nothing
        assert "Hundeanmeldung" in reads[0].content.decode()
        assert "Make a new draft version" not in client.get(base).content.decode()
        assert all(r.status_code in (302, 400, 403) for r in writes)
    else:
        for response in writes + reads:
            assert response.status_code == 302 and "/login/" in response["Location"]
    with schema_context(tenant_a.schema_name):
        form = Form.objects.get()
        assert form.title["de"] == "Hundeanmeldung" and form.is_active
        assert form.versions.count() == 1 and Form.objects.count() == 1
    if who == "other tenant":
        # on its own host, the other tenant's clerk does not find tenant A's form either
        own = client_for(tenant_b)
        own.sign_in(other_tenant_clerk.email)
        assert own.get(base).status_code == 404
        assert own.get(base + "versions/1/export/").status_code == 404
        assert "Hundeanmeldung" not in own.get("/backoffice/forms/").content.decode()


def test_the_catalogue_service_is_chosen_from_the_catalogue(clerk_client, tenant_a):
    from portalwerk.platform.catalog.models import Service

    with schema_context(tenant_a.schema_name):
        Service.objects.create(slug="angelschein", name_de="Angelschein", name_en="Fishing permit")
    page = _page(clerk_client.get("/backoffice/forms/new/", HTTP_ACCEPT_LANGUAGE="en"))
    assert '<option value="angelschein">Fishing permit</option>' in page
    settings = {
        "source": "scratch",
        "title_de": "Angelkarte",
        "retention_days": "365",
        "retention_action": "delete",
        "draft_days": "30",
    }
    unknown = clerk_client.post(
        "/backoffice/forms/new/", {**settings, "slug": "karte", "service_key": "erfunden"}
    )
    assert unknown.status_code == 400 and 'href="#f-service_key"' in unknown.content.decode()
    made = clerk_client.post(
        "/backoffice/forms/new/", {**settings, "slug": "karte", "service_key": "angelschein"}
    )
    assert made.status_code == 302
    with schema_context(tenant_a.schema_name):
        assert Form.objects.get().service_key == "angelschein"


def test_every_library_form_previews_and_starts_in_test_mode(clerk_client, tenant_a, clerk):
    from portalwerk.platform.authz.actors import from_user
    from portalwerk.platform.formlibrary.library import TEMPLATES, sync_library
    from portalwerk.platform.forms import services

    sync_library()
    for template in TEMPLATES:
        with schema_context(tenant_a.schema_name):
            form = services.adopt_template(actor=from_user(clerk), key=template["key"])
        base = f"/backoffice/forms/{form.pk}/versions/1/"
        frame = _page(clerk_client.get(base + "preview/frame/", HTTP_ACCEPT_LANGUAGE="en"))
        first_step = template["definition"]["steps"][0]
        assert first_step["title"]["en"] in frame
        started = clerk_client.post(base + "test/")
        assert started["Location"] == base + f"test/{first_step['key']}/"
        step = clerk_client.get(started["Location"], HTTP_ACCEPT_LANGUAGE="en")
        assert first_step["title"]["en"] in _page(step)


def test_a_version_that_is_not_a_draft_is_not_published_again(clerk_client, published_form):
    url = f"/backoffice/forms/{published_form.pk}/versions/1/publish/"
    page = _page(clerk_client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert "only a draft version can be published" in page
    refused = clerk_client.post(url, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "Only a draft version can be published." in refused.content.decode()
