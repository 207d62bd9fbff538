"""The defects of the outside accessibility audit (issue 12) that the test client can see:
repeating groups, saving a half-filled step, explicit form actions, the footer on every page,
German back-office labels, named header forms, "Fehler:" titles and announced feedback."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from portalwerk.platform.forms.models import Draft
from tests.helpers.appointments import make_office
from tests.helpers.forms import PERSON_STEP, make_submission, publish_form

PASSWORD = "Test-Passwort-2026!"
DOGS = {
    "steps": [
        {
            "key": "dogs",
            "title": {"de": "Hunde", "en": "Dogs"},
            "fields": [
                {
                    "key": "dogs",
                    "type": "repeat",
                    "required": True,
                    "max_items": 3,
                    "label": {"de": "Hund", "en": "Dog"},
                    "fields": [
                        {
                            "key": "name",
                            "type": "text",
                            "required": True,
                            "label": {"de": "Name", "en": "Name"},
                        }
                    ],
                }
            ],
        },
        PERSON_STEP,
    ]
}
LEGAL_LINKS = ("/imprint/", "/privacy/", "/accessibility/")


@pytest.fixture
def dogs_form(tenant_a, clerk):
    with schema_context(tenant_a.schema_name):
        return publish_form(clerk, "dogs", {"de": "Hunde", "en": "Dogs"}, DOGS)


def _start(client, slug) -> str:
    response = client.post(f"/forms/{slug}/")
    assert response.status_code == 302
    return response["Location"]


def _submit_buttons(html: str) -> list[str]:
    form = html[html.index("<form", html.index("<main")) :]
    return re.findall(r'<button type="submit"[^>]*value="([^"]+)"', form)


def test_enter_continues_and_removing_an_entry_asks_first(client_for, tenant_a, dogs_form):
    client = client_for(tenant_a)
    url = _start(client, "dogs")
    # given two entries
    page = client.post(url, {"dogs-count": "0", "action": "add:dogs"}).content.decode()
    page = client.post(
        url, {"dogs-count": "1", "dogs.0.name": "Bello", "action": "add:dogs"}
    ).content.decode()
    # then the new entry has the focus, and the default button (Enter) continues
    assert re.search(r'<fieldset class="repeat-item" id="f-dogs-1" tabindex="-1" autofocus>', page)
    assert _submit_buttons(page)[0] == "continue"
    # when the citizen presses "Remove" on the first entry, nothing is removed yet
    posted = {"dogs-count": "2", "dogs.0.name": "Bello", "dogs.1.name": "Rex"}
    page = client.post(url, {**posted, "action": "remove:dogs:0"}).content.decode()
    assert 'value="Bello"' in page and 'value="Rex"' in page
    assert "Hund 1 entfernen?" in page and 'class="confirm-remove"' in page
    assert _submit_buttons(page)[0] == "continue"
    # "keep" keeps it
    page = client.post(url, {**posted, "action": "keep:dogs:0"}).content.decode()
    assert 'value="Bello"' in page and "confirm-remove" not in page
    # confirming removes it, says so, and focuses the group
    page = client.post(url, {**posted, "action": "confirm-remove:dogs:0"}).content.decode()
    assert 'value="Bello"' not in page and 'value="Rex"' in page
    assert '<p class="notice" role="status">Hund 1 wurde entfernt.</p>' in page
    assert '<fieldset id="f-dogs" tabindex="-1" autofocus>' in page
    # and Enter (the default button) goes on to the next step
    response = client.post(url, {"dogs-count": "1", "dogs.0.name": "Rex", "action": "continue"})
    assert response.status_code == 302 and response["Location"].endswith("/person/")


def test_save_for_later_keeps_a_half_filled_step(client_for, tenant_a, dogs_form):
    client = client_for(tenant_a)
    url = _start(client, "dogs")
    client.post(url, {"dogs-count": "1", "dogs.0.name": "Rex", "action": "continue"})
    person = url.rsplit("/", 2)[0] + "/person/"
    # when the citizen saves the next step with only a first name and an unfinished email
    response = client.post(person, {"first_name": "Erika", "email": "erika@", "action": "save"})
    # then the draft is saved, not refused
    assert response.status_code == 302 and "/save/" in response["Location"]
    with schema_context(tenant_a.schema_name):
        draft = Draft.objects.get()
    assert draft.answers["first_name"] == "Erika" and draft.answers["email"] == "erika@"
    assert "person" not in draft.completed_steps
    # and coming back shows what was typed
    page = client.get(person).content.decode()
    assert 'value="Erika"' in page and 'value="erika@"' in page


def test_forms_post_to_an_explicit_action(client_for, tenant_a, dogs_form):
    client = client_for(tenant_a)
    url = _start(client, "dogs")
    pages = [
        client.get(url),
        client.post(url, {"dogs-count": "1", "action": "continue"}),  # with errors
        client.get("/accounts/sign-in/"),
        client.get("/accounts/sign-up/"),
        client.get("/accessibility/"),
        client.get("/forms/dogs/"),
    ]
    for response in pages:
        html = response.content.decode()
        forms = re.findall(r"<form\b[^>]*>", html)
        assert forms
        for tag in forms:
            assert re.search(r'action="[^"]+"', tag), tag


def test_the_footer_and_the_bitv_links_are_on_every_page(
    client_for, tenant_a, citizen, clerk, dogs_form
):
    anonymous = client_for(tenant_a)
    step = _start(anonymous, "dogs")
    signed_in = client_for(tenant_a)
    signed_in.sign_in(citizen.email)
    back_office = client_for(tenant_a)
    back_office.sign_in(clerk.email)
    with schema_context(tenant_a.schema_name):
        make_office(name="Bürgerbüro Fuß")
    pages = {
        "form": anonymous.get(step),
        "form start": anonymous.get("/forms/dogs/"),
        "appointments": anonymous.get("/appointments/"),
        "sign in": anonymous.get("/accounts/sign-in/"),
        "sign up": anonymous.get("/accounts/sign-up/"),
        "my applications": signed_in.get("/my/applications/"),
        "back office": back_office.get("/backoffice/"),
        "back office list": back_office.get("/backoffice/forms/formversion/"),
        "inbox": back_office.get("/backoffice/inbox/"),
        "platform": client_for("localhost").get("/"),
        "platform sign in": client_for("localhost").get("/accounts/sign-in/"),
        "platform statement": client_for("localhost").get("/accessibility/"),
    }
    for name, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, name
        for link in LEGAL_LINKS:
            assert f'href="{link}"' in html, (name, link)
        assert 'href="/leichte-sprache/"' in html and 'href="/sign-language/"' in html, name


def test_the_header_forms_have_names(client_for, tenant_a, citizen):
    client = client_for(tenant_a)
    client.sign_in(citizen.email)
    header = client.get("/my/applications/").content.decode().split("<main")[0]
    forms = re.findall(r"<form\b[^>]*>", header)
    assert len(forms) == 2
    assert all("aria-label=" in tag for tag in forms)


def test_the_german_back_office_speaks_german(client_for, tenant_a, clerk, citizen, dogs_form):
    client = client_for(tenant_a)
    client.sign_in(clerk.email)
    index = client.get("/backoffice/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    for english in ("Form versions", "Fee accounts", "Purge records", ">Forms<", ">Payments<"):
        assert english not in index
    assert "Formularversionen" in index and "Löschprotokolle" in index
    # statuses by their names, with announced feedback
    from portalwerk.platform.casework import services

    with schema_context(tenant_a.schema_name):
        answers = {
            "dogs": [{"name": "Rex"}],
            "person": {"first_name": "E", "last_name": "M", "email": "e@example.org"},
        }
        submission = make_submission(
            dogs_form, citizen, {"dogs": {"dogs": answers["dogs"]}, "person": answers["person"]}
        )
    detail = f"/backoffice/inbox/{submission.pk}/"
    response = client.post(detail, {"action": "status", "status": "in_progress"}, follow=True)
    html = response.content.decode()
    assert "received → in_progress" not in html
    assert "von „eingegangen“ zu „in Bearbeitung“" in html
    assert 'role="status" tabindex="-1" autofocus>Der Status wurde geändert.</p>' in html
    # a message form sent empty: the title says "Fehler:"
    failed = client.post(detail, {"action": "message", "body": ""}).content.decode()
    assert re.search(r"<title>Fehler: ", failed)
    assert services  # the module the page calls


def test_error_titles_on_save_for_later(client_for, tenant_a, dogs_form):
    client = client_for(tenant_a)
    url = _start(client, "dogs")
    save = url.rsplit("/", 2)[0] + "/save/"
    page = client.post(save, {"email": "not an address"}).content.decode()
    assert re.search(r"<title>Fehler: ", page)
    assert 'class="error-summary"' in page


def test_english_appointment_pages_mark_german_service_names(client_for, tenant_a):
    with schema_context(tenant_a.schema_name):
        setup = make_office(name="Bürgerbüro Sprache")
    page = client_for(tenant_a).get("/appointments/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    name = setup.id_card.name
    assert re.search(rf'<label for="service-{setup.id_card.pk}" lang="de">{name}</label>', page)
    german = client_for(tenant_a).get("/appointments/", HTTP_ACCEPT_LANGUAGE="de")
    assert f'<label for="service-{setup.id_card.pk}">{name}</label>' in german.content.decode()
    assert not mail.outbox
