"""Odd input gets a clear answer in the visitor's language, never a server error: a NUL byte in a
path segment, a query parameter, a cookie or a form field, and an upload whose name is 5,000
characters long (the crawler in tests/test_no_server_errors.py keeps these classes covered on
every URL; these tests say what the visitor sees)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from portalwerk.platform.forms.models import Draft, Upload
from tests.helpers.forms import (
    DEFINITION,
    FEE_DEFINITION,
    FISHING_LICENCE,
    PNG,
    make_submission,
    publish_form,
)

NUL_PATHS = [
    "/forms/done/%00/",
    "/forms/done/%00/receipt.pdf",
    "/pay/%00/",
    "/pay/demo/%00/",
    "/my/applications/%00/",
]


@pytest.fixture
def dog_form(tenant_a, clerk, settings, tmp_path):
    from django.core.cache import cache

    cache.clear()  # form start limits of earlier tests
    settings.MEDIA_ROOT = tmp_path / "media"
    with schema_context(tenant_a.schema_name):
        return publish_form(clerk, "dog-licence", {"de": "Hund", "en": "Dog"}, DEFINITION)


@pytest.mark.parametrize("path", NUL_PATHS)
def test_a_nul_byte_in_a_path_segment_is_a_400_page_in_the_visitors_language(
    path, client_for, tenant_a
):
    client = client_for(tenant_a)
    german = client.get(path)
    assert german.status_code == 400
    assert "Die Anfrage kann nicht beantwortet werden" in german.content.decode()
    assert '<html lang="de">' in german.content.decode()
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400
    assert "The request cannot be answered" in english.content.decode()


@pytest.mark.parametrize("query", ["q=%00", "status=%00", "q=Hund%00&status=new"])
def test_a_nul_byte_in_an_inbox_filter_is_a_400_page(query, client_for, tenant_a, clerk):
    client = client_for(tenant_a)
    client.sign_in(clerk.email)
    assert client.get("/backoffice/inbox/").status_code == 200
    response = client.get(f"/backoffice/inbox/?{query}")
    assert response.status_code == 400
    assert "Die Anfrage kann nicht beantwortet werden" in response.content.decode()


def test_a_nul_byte_in_the_back_office_and_the_platform_is_a_400_page(
    client_for, tenant_a, tenant_admin
):
    client = client_for(tenant_a)
    client.sign_in(tenant_admin.email)
    assert client.get("/backoffice/audit/?q=%00").status_code == 400
    assert client.get("/backoffice/payments/?status=%00").status_code == 400
    assert client_for("localhost").get("/accounts/sign-in/?next=%00").status_code == 400


def test_a_nul_byte_in_a_cookie_is_a_400_page_not_a_session_lookup(client_for, tenant_a):
    client = client_for(tenant_a)
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    response = client.get("/")
    assert response.status_code == 400


def test_a_nul_byte_in_a_form_field_is_a_field_error_in_the_visitors_language(
    client_for, tenant_a, dog_form
):
    client = client_for(tenant_a)
    step = client.post("/forms/dog-licence/")["Location"]
    # when the citizen's first name carries a NUL byte
    answers = {"first_name": "An\x00na", "last_name": "Muster", "email": "anna@example.com"}
    german = client.post(step, answers)
    # then the step is shown again with an error at that field, and nothing is kept
    assert german.status_code == 400
    assert "„Vorname“ enthält ein Zeichen, das nicht erlaubt ist." in german.content.decode()
    english = client.post(step, answers, HTTP_ACCEPT_LANGUAGE="en")
    assert "“First name” contains a character that is not allowed." in english.content.decode()
    # and "save and continue later" says the same and keeps nothing of it
    saved = client.post(step, {**answers, "action": "save"})
    assert saved.status_code == 400
    assert "„Vorname“ enthält ein Zeichen, das nicht erlaubt ist." in saved.content.decode()
    with schema_context(tenant_a.schema_name):
        draft = Draft.objects.get()
    assert "\x00" not in str(draft.answers)


def test_an_upload_with_a_5000_character_name_is_kept_under_a_shortened_name(
    client_for, tenant_a, dog_form
):
    client = client_for(tenant_a)
    step = client.post("/forms/dog-licence/")["Location"]
    base = step.rsplit("/", 2)[0]
    client.post(step, {"first_name": "Anna", "last_name": "Muster", "email": "a@example.com"})
    client.post(f"{base}/dog/", {"has_dog": "yes", "dog_name": "Bello"})
    photo = SimpleUploadedFile("a" * 5000 + ".png", PNG, content_type="image/png")
    response = client.post(f"{base}/documents/", {"photo": photo})
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        upload = Upload.objects.get()
    assert upload.name == "a" * 80 + ".png"


def test_an_application_page_with_a_real_reference_still_answers(
    client_for, tenant_a, citizen, clerk
):
    # the refusal is for NUL only: a real reference next to it is served as before
    with schema_context(tenant_a.schema_name):
        fee_form = publish_form(clerk, "fishing", FISHING_LICENCE, FEE_DEFINITION)
        submission = make_submission(fee_form, citizen)
    client = client_for(tenant_a)
    client.sign_in(citizen.email)
    assert client.get(f"/my/applications/{submission.reference}/").status_code == 200
    assert client.get(f"/my/applications/{submission.reference}%00/").status_code == 400


def test_a_nul_byte_sent_to_the_graphql_endpoint_is_a_json_error(client_for, tenant_a):
    response = client_for(tenant_a).get("/graphql/?query=%7Ba%00%7D", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "bad_request"
    assert "a character that is not allowed" in error["message"]
