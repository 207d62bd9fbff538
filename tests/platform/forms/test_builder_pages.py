"""The form builder's pages, by real requests as a clerk: every change a plain POST that
returns to the page with the focus on what changed and the change announced; refused input
shown on the page with nothing changed; the expert view round-trips with the builder; people
who may not build forms get no page."""

from __future__ import annotations

import copy
import json
import re

import pytest
from django.urls import reverse
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.forms import services as forms_services
from portalwerk.platform.forms.engine.fieldtypes import kinds
from portalwerk.platform.forms.models import FormVersion
from tests.helpers.forms import DEFINITION


@pytest.fixture
def draft(tenant_a, clerk):
    with schema_context(tenant_a.schema_name):
        form = forms_services.create_form(
            actor=from_user(clerk),
            slug="hund",
            title={"de": "Hundeanmeldung", "en": "Dog registration"},
            definition=copy.deepcopy(DEFINITION),
        )
        return form.versions.get()


@pytest.fixture
def browser(client_for, tenant_a, clerk):
    client = client_for(tenant_a)
    client.sign_in(clerk.email)
    return client


def url(version, name="edit", **kwargs) -> str:
    return reverse(
        f"form-builder:{name}",
        kwargs={"form_id": version.form_id, "number": version.number, **kwargs},
        urlconf="portalwerk.platform.urls_tenant",
    )


def stored(tenant, version) -> dict:
    with schema_context(tenant.schema_name):
        return FormVersion.objects.get(pk=version.pk).definition


def autofocused(html: str) -> list[str]:
    return re.findall(r'id="([^"]+)"[^>]*\bautofocus\b', html)


def test_the_builder_shows_steps_questions_conditions_and_the_fee_in_words(browser, draft):
    response = browser.get(url(draft), HTTP_ACCEPT_LANGUAGE="de")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Schritt 2: Hund" in html
    assert "Name des Hundes" in html
    assert "Wird nur angezeigt, wenn die Antwort auf „Haben Sie einen Hund?“ „Ja“ ist." in html
    assert "Übersprungen, wenn „Haben Sie einen Hund?“ nicht beantwortet ist." in html
    assert "30,00 €" in html and "10,00 €" in html


def test_adding_a_question_returns_with_focus_on_it_and_a_status_message(browser, tenant_a, draft):
    response = browser.post(
        url(draft, "field-add", step_key="dog"),
        {"type": "number", "label_de": "Alter des Hundes", "label_en": "Age of the dog"},
        HTTP_ACCEPT_LANGUAGE="de",
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?focus=field-alter_des_hundes")
    page = browser.get(response["Location"], HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert autofocused(page) == ["field-alter_des_hundes"]
    assert re.search(r'role="status">\s*<p>Die Frage „Alter des Hundes“ wurde hinzugefügt', page)
    fields = stored(tenant_a, draft)["steps"][1]["fields"]
    assert fields[-1]["label"] == {"de": "Alter des Hundes", "en": "Age of the dog"}


def test_a_refused_change_shows_the_problem_keeps_the_input_and_changes_nothing(
    browser, tenant_a, draft
):
    before = stored(tenant_a, draft)

    response = browser.post(
        url(draft, "step-add"),
        {"title_de": "", "title_en": "Pets", "type": "text", "label_de": "Tier"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert '<a href="#new-step-title_de">Enter the German wording.</a>' in html
    assert 'value="Pets"' in html and 'value="Tier"' in html
    assert stored(tenant_a, draft) == before


def test_every_type_has_a_field_page_that_saves(browser, tenant_a, draft):
    for kind in sorted(kinds()):
        browser.post(
            url(draft, "field-add", step_key="dog"), {"type": kind, "label_de": f"Frage {kind}"}
        )
    definition = stored(tenant_a, draft)
    for f in definition["steps"][1]["fields"]:
        page = browser.get(url(draft, "field", path=f["key"]))
        assert page.status_code == 200, f["type"]
    # the choice's options as a page sends them
    choice = next(f for f in definition["steps"][1]["fields"] if f["type"] == "choice")
    response = browser.post(
        url(draft, "field", path=choice["key"]),
        {
            "label_de": "Rasse",
            "key": choice["key"],
            "option_count": "5",
            "option_0_value": "option_1",
            "option_0_de": "Dackel",
            "option_1_value": "option_2",
            "option_1_de": "Pudel",
        },
    )
    assert response.status_code == 302
    saved = next(
        f for f in stored(tenant_a, draft)["steps"][1]["fields"] if f["key"] == choice["key"]
    )
    assert [o["label"]["de"] for o in saved["options"]] == ["Dackel", "Pudel"]


def test_a_field_page_with_bad_rules_shows_them_at_their_inputs(browser, tenant_a, draft):
    before = stored(tenant_a, draft)

    response = browser.post(
        url(draft, "field", path="first_name"),
        {"label_de": "Vorname", "min_length": "drei", "key": "first_name"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_min_length">' in html
    assert 'id="id_min_length_error"' in html and 'value="drei"' in html
    assert stored(tenant_a, draft) == before


def test_a_condition_is_chosen_in_two_steps_and_shown_in_words(browser, tenant_a, draft):
    page = browser.get(url(draft, "field-condition", target="dog_name", which="show_if"))
    assert page.status_code == 200 and 'id="c-pick"' in page.content.decode()

    chosen = browser.get(
        url(draft, "field-condition", target="dog_name", which="show_if"),
        {"field": "has_dog"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert '<option value="no">No</option>' in chosen

    response = browser.post(
        url(draft, "field-condition", target="dog_name", which="show_if"),
        {"field": "has_dog", "op": "is", "value": "no"},
    )
    assert response.status_code == 302
    field = stored(tenant_a, draft)["steps"][1]["fields"][1]
    assert field["show_if"] == {"==": [{"var": "has_dog"}, False]}
    page = browser.get(url(draft), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Shown only if the answer to “Do you have a dog?” is “No”." in page


def test_the_fee_is_set_in_two_steps(browser, tenant_a, draft):
    chosen = browser.get(url(draft, "fee"), {"kind": "by_answer:has_dog"}).content.decode()
    assert 'name="amount_0"' in chosen and 'name="amount_1"' in chosen

    response = browser.post(
        url(draft, "fee"),
        {"kind": "by_answer", "field": "has_dog", "amount_0": "40,00", "amount": "0"},
    )

    assert response.status_code == 302 and response["Location"].endswith("?focus=fee")
    assert stored(tenant_a, draft)["fee"] == {
        "amount": {"if": [{"==": [{"var": "has_dog"}, True]}, 4000, 0]}
    }


def test_removing_asks_first_and_a_question_in_use_cannot_be(browser, tenant_a, draft):
    confirm = browser.get(url(draft, "field-remove", path="has_dog"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Conditions or the fee read this question" in confirm.content.decode()
    refused = browser.post(url(draft, "field-remove", path="has_dog"))
    assert refused.status_code == 400
    assert len(stored(tenant_a, draft)["steps"][1]["fields"]) == 2

    assert browser.get(url(draft, "field-remove", path="email")).status_code == 200
    done = browser.post(url(draft, "field-remove", path="email"))
    assert done.status_code == 302
    assert [f["key"] for f in stored(tenant_a, draft)["steps"][0]["fields"]] == [
        "first_name",
        "last_name",
    ]


def test_the_expert_view_round_trips_with_the_builder(browser, tenant_a, draft):
    # a change in the builder shows in the JSON
    browser.post(
        url(draft, "step", step_key="dog"),
        {"title_de": "Ihr Hund", "title_en": "Your dog", "key": "dog"},
    )
    text = browser.get(url(draft, "expert")).content.decode()
    assert "Ihr Hund" in text

    # a change in the JSON shows in the builder
    definition = stored(tenant_a, draft)
    definition["steps"][0]["fields"][0]["label"]["de"] = "Rufname"
    response = browser.post(
        url(draft, "expert"), {"definition": json.dumps(definition, ensure_ascii=False)}
    )
    assert response.status_code == 302
    assert "Rufname" in browser.get(url(draft)).content.decode()

    # invalid JSON: a clear message, nothing changed
    bad = browser.post(
        url(draft, "expert"), {"definition": '{"steps": [}'}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert bad.status_code == 400
    assert "This is not valid JSON (line 1, column 12)" in bad.content.decode()
    assert stored(tenant_a, draft) == definition


def test_a_published_version_is_shown_without_forms_to_change_it(browser, tenant_a, clerk, draft):
    with schema_context(tenant_a.schema_name):
        forms_services.publish_version(actor=from_user(clerk), version=draft)

    page = browser.get(url(draft), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "cannot change" in page and 'method="post" action="/backoffice/forms/' not in page
    response = browser.post(
        url(draft, "field-add", step_key="dog"), {"type": "text", "label_de": "X"}
    )
    assert response.status_code == 400
    assert len(stored(tenant_a, draft)["steps"][1]["fields"]) == 2


def test_no_builder_for_citizens_readers_or_unknown_versions(client_for, tenant_a, citizen, draft):
    from portalwerk.platform.accounts.models import Role
    from tests.conftest import make_user

    reader = make_user(tenant_a, "reader@alpha.example", Role.CLERK_READER)
    before = stored(tenant_a, draft)
    for who, status in ((citizen, 302), (reader, 404)):
        client = client_for(tenant_a)
        client.sign_in(who.email)
        assert client.get(url(draft)).status_code == status
        assert client.get(url(draft, "expert")).status_code == status
        posted = client.post(
            url(draft, "step-add"), {"title_de": "X", "type": "text", "label_de": "Y"}
        )
        assert posted.status_code == status
    anonymous = client_for(tenant_a)
    assert anonymous.get(url(draft)).status_code == 302
    assert stored(tenant_a, draft) == before
    clerk_page = client_for(tenant_a)
    clerk_page.sign_in("clerk@alpha.example")
    missing = reverse(
        "form-builder:edit",
        kwargs={"form_id": draft.form_id, "number": 9},
        urlconf="portalwerk.platform.urls_tenant",
    )
    assert clerk_page.get(missing).status_code == 404


def test_a_clerk_of_another_tenant_finds_no_such_builder(
    client_for, tenant_b, other_tenant_clerk, draft
):
    client = client_for(tenant_b)
    client.sign_in(other_tenant_clerk.email)

    assert client.get(url(draft)).status_code == 404
    assert (
        client.post(
            url(draft, "step-add"), {"title_de": "X", "type": "text", "label_de": "Y"}
        ).status_code
        == 404
    )


def test_the_builder_page_reads_the_same_number_of_queries_for_3_or_43_questions(
    browser, tenant_a, clerk, draft
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.perf.bench_builder import _definition

    with schema_context(tenant_a.schema_name):
        big = forms_services.create_form(
            actor=from_user(clerk), slug="gross", title={"de": "Groß"}, definition=_definition()
        ).versions.get()
    browser.get(url(draft))
    with CaptureQueriesContext(connection) as small_page:
        assert browser.get(url(draft)).status_code == 200
    with CaptureQueriesContext(connection) as big_page:
        assert browser.get(url(big)).status_code == 200

    assert len(big_page) == len(small_page)


def test_every_form_on_the_builder_page_posts_to_a_builder_action(browser, draft):
    from django.urls import resolve

    page = browser.get(url(draft)).content.decode()
    main = page.split("<main", 1)[1].split("</main>", 1)[0]  # not the header's sign-out
    actions = re.findall(r'<form method="post"[^>]*action="([^"]*)"', main)

    assert len(actions) > 10
    for action in actions:
        assert action.startswith(url(draft)), action
        match = resolve(action, urlconf="portalwerk.platform.urls_tenant")
        assert match.url_name not in ("edit", None), action
    assert browser.post(url(draft), {}).status_code == 405


def test_steps_move_are_removed_and_skipped_and_sign_in_is_set_by_page(browser, tenant_a, draft):
    moved = browser.post(url(draft, "step-move", step_key="dog"), {"direction": "up"})
    assert moved["Location"].endswith("?focus=step-dog")
    assert [s["key"] for s in stored(tenant_a, draft)["steps"]][:2] == ["dog", "person"]
    assert (
        browser.post(url(draft, "step-move", step_key="dog"), {"direction": "up"}).status_code
        == 400
    )

    skip = browser.post(
        url(draft, "step-condition", target="confirm", which="skip_if"),
        {"field": "has_dog", "op": "is", "value": "no"},
    )
    assert skip.status_code == 302
    assert stored(tenant_a, draft)["steps"][3]["skip_if"] == {"==": [{"var": "has_dog"}, False]}

    assert browser.get(url(draft, "step-remove", step_key="confirm")).status_code == 200
    assert browser.post(url(draft, "step-remove", step_key="confirm")).status_code == 302
    assert "confirm" not in [s["key"] for s in stored(tenant_a, draft)["steps"]]

    signed = browser.post(url(draft, "sign-in"), {"level": "high", "account": "person"})
    assert signed["Location"].endswith("?focus=sign-in")
    assert stored(tenant_a, draft)["sign_in"] == {"level": "high", "account": "person"}


def test_a_repeating_group_page_adds_moves_and_changes_its_own_questions(browser, tenant_a, draft):
    browser.post(url(draft, "field-add", step_key="dog"), {"type": "repeat", "label_de": "Welpen"})

    added = browser.post(
        url(draft, "child-add", path="welpen"), {"type": "date", "label_de": "Geburtstag"}
    )
    assert added["Location"].endswith("/fields/welpen/?focus=field-welpen-geburtstag")
    group_page = browser.get(added["Location"]).content.decode()
    assert autofocused(group_page) == ["field-welpen-geburtstag"]
    assert browser.get(url(draft, "field", path="welpen.geburtstag")).status_code == 200
    browser.post(url(draft, "field-move", path="welpen.geburtstag"), {"direction": "up"})
    changed = browser.post(
        url(draft, "field", path="welpen.geburtstag"),
        {"label_de": "Wurftag", "key": "wurftag", "before": "heute"},
    )
    assert changed["Location"].endswith("/fields/welpen/?focus=field-welpen-wurftag")
    group = stored(tenant_a, draft)["steps"][1]["fields"][-1]
    assert [c["key"] for c in group["fields"]] == ["wurftag", "entry"]
    assert group["fields"][0]["validation"] == {"before": "today"}
