"""A form whose fishing waters come from a data source and whose office phone is prefilled from
one, walked through the tenant host with the Django test client: the options on the page, the
cache between renders, a forged or withdrawn value refused in the citizen's language, and the
page staying usable (never a 500) when the source is down."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from portalwerk.platform.datasources.models import DataSource
from portalwerk.platform.forms.engine.form import FormSpec
from portalwerk.platform.forms.engine.specs import DefinitionError
from tests.helpers.forms import publish_form
from tests.helpers.sources import Route, make_source

WATERS = {"waters": [{"id": "aller", "name": "Aller"}, {"id": "leine", "name": "Leine"}]}
MAPPING = {"list_path": "$.waters", "value_key": "id", "label_key": "name"}


def definition(required: bool = True) -> dict:
    return {
        "steps": [
            {
                "key": "licence",
                "title": {"de": "Erlaubnis", "en": "Licence"},
                "fields": [
                    {
                        "key": "water",
                        "type": "choice",
                        "label": {"de": "Gewässer", "en": "Water"},
                        "required": required,
                        "options_from": "waters",
                    },
                    {
                        "key": "phone",
                        "type": "text",
                        "label": {"de": "Telefon der Stelle", "en": "Office phone"},
                        "prefill_from": {"source": "office", "value": "$.office.phone"},
                    },
                ],
            }
        ]
    }


@pytest.fixture
def fishing(tenant_a, clerk, tenant_admin, json_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    json_server.routes["/waters"] = Route(WATERS)
    json_server.routes["/office"] = Route({"office": {"phone": "0511 123456"}})
    make_source(tenant_a, tenant_admin, url=json_server.url("/waters"), **MAPPING)
    make_source(tenant_a, tenant_admin, key="office", url=json_server.url("/office"))
    with schema_context(tenant_a.schema_name):
        publish_form(clerk, "angeln", {"de": "Angelschein", "en": "Fishing"}, definition())
    return json_server


def start(client) -> str:
    response = client.post("/forms/angeln/")
    assert response.status_code == 302
    return response["Location"]


def radios(page: str) -> list[str]:
    return re.findall(r'type="radio"[^>]*name="water" value="([^"]*)"', page)


def test_the_options_on_the_page_come_from_the_source_and_are_kept(client_for, tenant_a, fishing):
    client = client_for(tenant_a)
    step = start(client)
    # when the citizen opens the step twice
    first = client.get(step, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    second = client.get(step, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    # then they choose among the source's waters, and the source was asked once
    assert radios(first) == radios(second) == ["aller", "leine"]
    assert ">Aller</label>" in first
    assert fishing.hits["/waters"] == 1
    # and the office phone was prefilled from the other source
    assert re.search(r'name="phone" value="0511 123456"', first)


def test_a_chosen_water_is_submitted(client_for, tenant_a, fishing):
    client = client_for(tenant_a)
    step = start(client)
    base = step.rsplit("/", 2)[0]
    assert client.post(step, {"water": "leine", "phone": "0511 1"}).status_code == 302
    check = client.get(f"{base}/check/").content.decode()
    assert "Leine" in check  # the label, not the value
    key = re.search(r'name="idempotency_key" value="(\w+)"', check).group(1)
    done = client.post(f"{base}/check/", {"idempotency_key": key})
    assert done.status_code == 302
    assert fishing.hits["/waters"] == 1


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("de", "Wählen Sie für „Gewässer“ eine der angebotenen Möglichkeiten aus."),
        ("en", "Select one of the options for “Water”."),
    ],
)
def test_a_forged_water_is_a_field_error_in_the_citizens_language(
    client_for, tenant_a, fishing, language, message
):
    client = client_for(tenant_a)
    step = start(client)
    response = client.post(step, {"water": "rhein", "phone": ""}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_water_the_source_withdrew_before_submitting_is_refused(client_for, tenant_a, fishing):
    client = client_for(tenant_a)
    step = start(client)
    base = step.rsplit("/", 2)[0]
    assert client.post(step, {"water": "aller", "phone": ""}).status_code == 302
    # given the source no longer offers the Aller once its answer is out of date
    fishing.routes["/waters"] = Route({"waters": [{"id": "leine", "name": "Leine"}]})
    with schema_context(tenant_a.schema_name):
        DataSource.objects.update(fetched_at=timezone.now() - timedelta(days=1))
    check = client.get(f"{base}/check/").content.decode()
    key = re.search(r'name="idempotency_key" value="(\w+)"', check).group(1)
    response = client.post(f"{base}/check/", {"idempotency_key": key}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Select one of the options for “Water”." in response.content.decode()


def test_a_source_that_is_down_leaves_the_page_usable_with_its_last_answer(
    client_for, tenant_a, fishing
):
    client = client_for(tenant_a)
    step = start(client)
    client.get(step)
    fishing.routes["/waters"] = Route("", status=503)
    with schema_context(tenant_a.schema_name):
        DataSource.objects.update(fetched_at=timezone.now() - timedelta(days=1))
    page = client.get(step, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert radios(text) == ["aller", "leine"]
    assert "The list for “Water” could not be brought up to date just now." in text
    assert client.post(step, {"water": "aller", "phone": ""}).status_code == 302


def test_a_source_down_from_the_start_offers_its_fallback(
    client_for, tenant_a, tenant_admin, clerk, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_source(
        tenant_a,
        tenant_admin,
        url="http://127.0.0.1:9/waters",
        fallback=[{"value": "other", "label": "Ein anderes Gewässer"}],
        **MAPPING,
    )
    with schema_context(tenant_a.schema_name):
        publish_form(clerk, "angeln", {"de": "Angelschein", "en": "Fishing"}, definition())
    client = client_for(tenant_a)
    step = start(client)
    page = client.get(step, HTTP_ACCEPT_LANGUAGE="de")
    assert page.status_code == 200
    text = page.content.decode()
    assert radios(text) == ["other"]
    assert "Die Liste für „Gewässer“ konnte gerade nicht aktualisiert werden." in text
    # and the office phone, whose source does not exist, is simply not filled
    assert re.search(r'name="phone" value=""', text)


def test_an_optional_field_without_any_options_can_be_left_out(
    client_for, tenant_a, tenant_admin, clerk, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_source(tenant_a, tenant_admin, url="http://127.0.0.1:9/waters", **MAPPING)
    with schema_context(tenant_a.schema_name):
        publish_form(clerk, "angeln", {"de": "Angelschein", "en": "Fishing"}, definition(False))
    client = client_for(tenant_a)
    step = start(client)
    page = client.get(step, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You can leave this question out and continue." in page
    response = client.post(step, {"phone": ""})
    assert response.status_code == 302
    assert response["Location"].endswith("/check/")


def test_definitions_name_sources_correctly():
    with pytest.raises(DefinitionError) as found:
        FormSpec.from_definition(
            {
                "steps": [
                    {
                        "key": "s",
                        "fields": [
                            {"key": "a", "type": "choice", "label": "A", "options_from": "No!"},
                            {
                                "key": "b",
                                "type": "choice",
                                "label": "B",
                                "options_from": "waters",
                                "options": [{"value": "x"}],
                            },
                            {"key": "c", "type": "text", "label": "C", "prefill_from": "x"},
                            {
                                "key": "d",
                                "type": "file",
                                "label": "D",
                                "prefill_from": {"source": "x", "value": "$.a"},
                            },
                        ],
                    }
                ]
            }
        )
    problems = " | ".join(found.value.problems)
    assert "field 'a': options_from names a data source by its key" in problems
    assert "field 'b': options come from the definition or a source, not both" in problems
    assert "field 'c': prefill_from is" in problems
    assert "field 'd': prefill_from fits" in problems


def test_a_step_refused_for_another_answer_keeps_the_sources_fresh_answer(
    client_for, tenant_a, fishing
):
    # given a form whose step also asks a question the citizen gets wrong
    client = client_for(tenant_a)
    step = start(client)
    with schema_context(tenant_a.schema_name):
        DataSource.objects.update(fetched_at=None, result=None)
    # when the step is sent with a too long phone number and then shown again
    response = client.post(step, {"water": "aller", "phone": "1" * 300})
    assert response.status_code == 400
    client.get(step)
    # then the source was asked once: its answer was kept although the step was refused
    assert fishing.hits["/waters"] == 1
