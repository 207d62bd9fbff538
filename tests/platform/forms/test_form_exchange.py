"""A form as a file: export, import as a new form or as a new draft of the form with the same
address name, files refused with a clear message and nothing changed, and old exports that keep
importing (tests/platform/forms/fixtures/ holds an export of every format version)."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django_tenants.utils import schema_context

from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.forms import exchange
from portalwerk.platform.forms.models import Form, FormVersion
from tests.helpers.forms import DEFINITION

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = (FIXTURES / "form-export-format-1.json").read_bytes()


@pytest.fixture
def clerk_client(client_for, tenant_a, clerk):
    client = client_for(tenant_a)
    client.sign_in(clerk.email)
    return client


def _codes(exc: ValidationError) -> set[str]:
    return {e.code for errors in exc.error_dict.values() for e in errors}


def test_an_export_of_todays_format_imports_with_its_settings(tenant_a, clerk):
    with schema_context(tenant_a.schema_name):
        version = exchange.import_form(actor=from_user(clerk), data=TODAY)
        form = version.form
        assert form.slug == "hundeanmeldung" and form.title["en"] == "Dog registration"
        assert (form.retention_days, form.retention_action) == (730, "anonymise")
        assert (form.draft_days, form.processing_days) == (21, 14)
        assert version.status == "draft" and version.number == 1
        assert version.definition == DEFINITION


def test_every_kept_export_still_imports(tenant_a, clerk):
    files = sorted(FIXTURES.glob("form-export-format-*.json"))
    assert files, "keep an export of each format version here"
    assert {json.loads(f.read_bytes())["format_version"] for f in files} == set(
        range(1, exchange.FORMAT_VERSION + 1)
    )
    with schema_context(tenant_a.schema_name):
        for n, path in enumerate(files):
            exchange.import_form(actor=from_user(clerk), data=path.read_bytes(), slug=f"f{n}")


def test_export_then_import_gives_the_same_form(published_form, tenant_a, clerk):
    with schema_context(tenant_a.schema_name):
        data = exchange.export_bytes(published_form, published_form.published_version)
        document = json.loads(data)
        assert document["format"] == "portalwerk-form" and document["format_version"] == 1
        assert document["version"]["number"] == 1
        copy = exchange.import_form(actor=from_user(clerk), data=data, slug="dog-copy")
        assert copy.definition == published_form.published_version.definition
        assert copy.form.service_key == published_form.service_key


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (b"\x89PNG not at all", "not_json", "not a JSON file"),
        (b'{"steps": []}', "not_a_form_file", "not a form exported"),
        (
            json.dumps({**json.loads(TODAY), "format_version": 2}).encode(),
            "newer_format",
            "newer Portalwerk (format version 2)",
        ),
        (
            json.dumps(
                {**json.loads(TODAY), "version": {"number": 1, "definition": {"steps": []}}}
            ).encode(),
            "invalid_file",
            "a form has at least one step",
        ),
        (b" " * (exchange.MAX_BYTES + 1), "file_too_large", "larger than 1000 kB"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_changes(tenant_a, clerk, data, code, words):
    with schema_context(tenant_a.schema_name), translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            exchange.import_form(actor=from_user(clerk), data=data)
        assert _codes(refused.value) == {code}
        assert words in " ".join(refused.value.messages)
        assert not Form.objects.exists() and not Entry.objects.exists()


def test_the_same_address_name_is_asked_about_then_becomes_a_new_draft_version(
    clerk_client, published_form, tenant_a
):
    data = TODAY.replace(b'"hundeanmeldung"', b'"dog-licence"')
    upload = SimpleUploadedFile("dog.json", data, content_type="application/json")
    asked = clerk_client.post(
        "/backoffice/forms/import/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="en"
    )
    page = asked.content.decode()
    assert asked.status_code == 200
    assert "A form with the address name “dog-licence” exists already" in page
    assert "A new draft version of “Dog registration”" in page
    with schema_context(tenant_a.schema_name):
        assert FormVersion.objects.count() == 1  # asking changed nothing
    done = clerk_client.post(
        "/backoffice/forms/import/", {"content": data.decode(), "choice": "draft"}
    )
    assert done.status_code == 302 and done["Location"] == f"/backoffice/forms/{published_form.pk}/"
    with schema_context(tenant_a.schema_name):
        versions = list(published_form.versions.order_by("number"))
    assert [(v.number, v.status) for v in versions] == [(1, "published"), (2, "draft")]
    assert versions[1].definition == DEFINITION


def test_the_same_address_name_can_become_a_new_form_under_another_name(
    clerk_client, published_form, tenant_a
):
    data = TODAY.replace(b'"hundeanmeldung"', b'"dog-licence"').decode()
    taken = clerk_client.post(
        "/backoffice/forms/import/",
        {"content": data, "choice": "new", "slug": "dog-licence"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert taken.status_code == 400 and 'href="#f-slug"' in taken.content.decode()
    done = clerk_client.post(
        "/backoffice/forms/import/", {"content": data, "choice": "new", "slug": "hunde-2"}
    )
    assert done.status_code == 302
    with schema_context(tenant_a.schema_name):
        assert Form.objects.get(slug="hunde-2").title["de"] == "Hundeanmeldung"


def test_the_import_page_says_what_is_wrong_with_a_file(clerk_client, tenant_a):
    upload = SimpleUploadedFile("notes.json", b"hello", content_type="application/json")
    response = clerk_client.post(
        "/backoffice/forms/import/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and 'href="#f-file"' in page
    assert "not a JSON file" in page


def test_the_export_is_a_download_of_the_version(clerk_client, published_form):
    response = clerk_client.get(f"/backoffice/forms/{published_form.pk}/versions/1/export/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert 'attachment; filename="dog-licence-version-1.json"' == response["Content-Disposition"]
    assert json.loads(response.content)["form"]["slug"] == "dog-licence"
