"""The form builder's services: each change to a draft version, checked by the engine, and
what is refused (changing nothing): bad input, published versions, removing a question that a
condition or the fee reads, and actors who may not build forms."""

from __future__ import annotations

import copy

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.forms import services as forms_services
from portalwerk.platform.forms.builder import services
from portalwerk.platform.forms.engine.form import FormSpec
from tests.helpers.builder import post, refused, stored
from tests.helpers.forms import DEFINITION, PERSON_STEP


@pytest.fixture
def draft(tenant_a, clerk):
    """A draft version (number 1) of a form with the person step and the dog steps."""
    with schema_context(tenant_a.schema_name):
        form = forms_services.create_form(
            actor=from_user(clerk),
            slug="hund",
            title={"de": "Hund", "en": "Dog"},
            definition=copy.deepcopy(DEFINITION),
        )
        yield form.versions.get()


def test_a_step_is_added_with_its_first_question_and_keys_from_the_german_wording(draft, clerk):
    change = services.add_step(
        actor=from_user(clerk),
        version=draft,
        raw=post(title_de="Größe & Gewicht", title_en="Size", type="number", label_de="Größe"),
    )

    definition = stored(draft)
    step = definition["steps"][-1]
    assert step["key"] == "groesse_gewicht"
    assert step["title"] == {"de": "Größe & Gewicht", "en": "Size"}
    assert step["fields"] == [{"key": "groesse", "type": "number", "label": {"de": "Größe"}}]
    assert change.anchor == "step-groesse_gewicht"
    assert "Größe & Gewicht" in change.message
    entry = Entry.objects.filter(action="form.edited").latest("pk")
    assert entry.detail["change"] == "step_added"


def test_a_key_already_taken_gets_a_number(draft, clerk):
    services.add_field(
        actor=from_user(clerk),
        version=draft,
        step_key="dog",
        raw=post(type="text", label_de="First Name"),
    )

    assert [f["key"] for f in stored(draft)["steps"][1]["fields"]][-1] == "first_name_2"


def test_every_engine_type_can_be_added_and_the_definition_stays_valid(draft, clerk):
    from portalwerk.platform.forms.engine.fieldtypes import kinds

    for kind in sorted(kinds()):
        services.add_field(
            actor=from_user(clerk),
            version=draft,
            step_key="dog",
            raw=post(type=kind, label_de=f"Frage {kind}", label_en=f"Question {kind}"),
        )

    spec = FormSpec.from_definition(stored(draft))
    assert {f.type for f in spec.step("dog").fields} >= set(kinds())


def test_a_step_without_a_german_title_is_refused_and_nothing_changes(draft, clerk):
    before = stored(draft)

    error = refused(
        lambda: services.add_step(
            actor=from_user(clerk),
            version=draft,
            raw=post(title_de="  ", title_en="Size", type="text", label_de="Größe"),
        ),
        "required",
    )

    assert "title_de" in error.error_dict
    assert stored(draft) == before


def test_steps_move_and_a_step_cannot_move_past_the_end(draft, clerk):
    services.move_step(actor=from_user(clerk), version=draft, step_key="dog", direction="up")
    assert [s["key"] for s in stored(draft)["steps"]][:2] == ["dog", "person"]

    refused(
        lambda: services.move_step(
            actor=from_user(clerk), version=draft, step_key="dog", direction="up"
        )
    )
    assert [s["key"] for s in stored(draft)["steps"]][:2] == ["dog", "person"]


def test_a_question_moves_within_its_step_and_into_the_next_step(draft, clerk):
    services.move_field(actor=from_user(clerk), version=draft, path="first_name", direction="down")
    assert [f["key"] for f in stored(draft)["steps"][0]["fields"]] == [
        "last_name",
        "first_name",
        "email",
    ]

    services.move_field(actor=from_user(clerk), version=draft, path="email", direction="down")

    steps = stored(draft)["steps"]
    assert [f["key"] for f in steps[0]["fields"]] == ["last_name", "first_name"]
    assert steps[1]["fields"][0]["key"] == "email"


def test_renaming_a_step_and_its_key(draft, clerk):
    services.change_step(
        actor=from_user(clerk),
        version=draft,
        step_key="dog",
        raw=post(title_de="Ihr Hund", title_en="Your dog", key="your_dog"),
    )

    step = stored(draft)["steps"][1]
    assert step["key"] == "your_dog" and step["title"] == {"de": "Ihr Hund", "en": "Your dog"}
    refused(
        lambda: services.change_step(
            actor=from_user(clerk),
            version=draft,
            step_key="your_dog",
            raw=post(title_de="Hund", key="person"),
        )
    )


def test_removing_a_question_a_condition_reads_is_refused_and_names_the_condition(draft, clerk):
    before = stored(draft)

    error = refused(
        lambda: services.remove_field(actor=from_user(clerk), version=draft, path="has_dog"),
        "field_in_use",
    )

    text = " ".join(error.messages)
    assert "Name des Hundes" in text and "Nachweise" in text and "Gebühr" in text
    assert stored(draft) == before


def test_removing_a_question_nothing_reads(draft, clerk):
    change = services.remove_field(actor=from_user(clerk), version=draft, path="email")

    keys = [f["key"] for f in stored(draft)["steps"][0]["fields"]]
    assert keys == ["first_name", "last_name"]
    assert change.anchor == "step-person"


def test_the_last_question_of_a_step_and_the_last_step_stay(draft, clerk):
    refused(
        lambda: services.remove_field(actor=from_user(clerk), version=draft, path="truth"),
        "last_one",
    )
    for key in ("confirm", "documents"):
        services.remove_step(actor=from_user(clerk), version=draft, step_key=key)
    assert [s["key"] for s in stored(draft)["steps"]] == ["person", "dog"]


def test_removing_a_step_whose_question_the_next_step_reads_is_refused(draft, clerk):
    refused(
        lambda: services.remove_step(actor=from_user(clerk), version=draft, step_key="dog"),
        "field_in_use",
    )
    assert len(stored(draft)["steps"]) == 4


def test_a_field_is_edited_with_rules_for_its_type(draft, clerk):
    raw = post(
        label_de="Vorname",
        label_en="First name",
        hint_de="Wie im Ausweis",
        required="1",
        key="given_name",
        min_length="2",
        max_length="40",
        pattern="[A-Za-zÄÖÜäöüß -]+",
        pattern_message_de="Nur Buchstaben",
    )

    change = services.change_field(
        actor=from_user(clerk), version=draft, path="first_name", raw=raw
    )

    f = stored(draft)["steps"][0]["fields"][0]
    assert f["key"] == "given_name" and change.anchor == "field-given_name"
    assert f["validation"] == {"min_length": 2, "max_length": 40, "pattern": "[A-Za-zÄÖÜäöüß -]+"}
    assert f["hint"] == {"de": "Wie im Ausweis"} and f["messages"] == {
        "pattern": {"de": "Nur Buchstaben"}
    }
    spec = FormSpec.from_definition(stored(draft))
    _values, errors = spec.clean_step(
        "person", {"given_name": "X1", "last_name": "M", "email": "a@b.de"}, {}
    )
    assert [e.message for e in errors] == ["Nur Buchstaben"]


def test_renaming_a_key_updates_the_conditions_and_the_fee_that_read_it(draft, clerk):
    services.change_field(
        actor=from_user(clerk),
        version=draft,
        path="has_dog",
        raw=post(label_de="Haben Sie einen Hund?", required="1", key="dog_owner"),
    )

    definition = stored(draft)
    assert definition["steps"][1]["fields"][1]["show_if"] == {"var": "dog_owner"}
    assert definition["steps"][2]["skip_if"] == {"!": {"var": "dog_owner"}}
    assert definition["fee"]["amount"] == {"if": [{"var": "dog_owner"}, 3000, 1000]}


def test_bad_rules_are_refused_at_their_inputs_and_nothing_changes(draft, clerk):
    before = stored(draft)

    error = refused(
        lambda: services.change_field(
            actor=from_user(clerk),
            version=draft,
            path="first_name",
            raw=post(label_de="", min_length="9", max_length="3", pattern="(", key="Bad Key"),
        )
    )

    assert set(error.error_dict) == {"label_de", "min_length", "pattern", "key"}
    assert stored(draft) == before


def test_number_date_and_file_rules(draft, clerk):
    services.add_field(
        actor=from_user(clerk),
        version=draft,
        step_key="dog",
        raw=post(type="number", label_de="Alter"),
    )
    services.change_field(
        actor=from_user(clerk),
        version=draft,
        path="alter",
        raw=post(label_de="Alter", min="0", max="25,5", integer="1"),
    )
    services.add_field(
        actor=from_user(clerk),
        version=draft,
        step_key="dog",
        raw=post(type="date", label_de="Geboren"),
    )
    services.change_field(
        actor=from_user(clerk),
        version=draft,
        path="geboren",
        raw=post(label_de="Geboren", after="01.01.2000", before="heute"),
    )
    services.change_field(
        actor=from_user(clerk),
        version=draft,
        path="photo",
        raw=post(label_de="Foto", file_types=["pdf", "png"], max_size_mb="2,5", multiple="1"),
    )

    fields = {f["key"]: f for s in stored(draft)["steps"] for f in s["fields"]}
    assert fields["alter"]["validation"] == {"min": 0, "max": 25.5, "integer": True}
    assert fields["geboren"]["validation"] == {"after": "2000-01-01", "before": "today"}
    assert fields["photo"]["validation"] == {"file_types": ["pdf", "png"], "max_size": 2_500_000}
    assert fields["photo"]["multiple"] is True


def test_options_of_a_choice_are_edited_and_removed(draft, clerk):
    services.add_field(
        actor=from_user(clerk),
        version=draft,
        step_key="dog",
        raw=post(type="choice", label_de="Rasse"),
    )
    raw = post(
        label_de="Rasse",
        option_count="5",
        option_0_value="option_1",
        option_0_de="Dackel",
        option_0_en="Dachshund",
        option_1_value="option_2",
        option_1_de="Pudel",
        option_1_remove="1",
        option_2_de="Mischling",
    )

    services.change_field(actor=from_user(clerk), version=draft, path="rasse", raw=raw)

    options = next(f for f in stored(draft)["steps"][1]["fields"] if f["key"] == "rasse")["options"]
    assert options == [
        {"value": "option_1", "label": {"de": "Dackel", "en": "Dachshund"}},
        {"value": "mischling", "label": {"de": "Mischling"}},
    ]


def test_a_repeating_group_gets_its_own_questions(draft, clerk):
    services.add_field(
        actor=from_user(clerk),
        version=draft,
        step_key="dog",
        raw=post(type="repeat", label_de="Welpen"),
    )
    change = services.add_field(
        actor=from_user(clerk),
        version=draft,
        step_key="",
        group="welpen",
        raw=post(type="yesno", label_de="Geimpft?"),
    )
    services.set_field_condition(
        actor=from_user(clerk),
        version=draft,
        path="welpen.geimpft",
        which="require_if",
        raw=post(field="entry", op="answered"),
    )
    refused(
        lambda: services.add_field(
            actor=from_user(clerk),
            version=draft,
            step_key="",
            group="welpen",
            raw=post(type="repeat", label_de="Noch eine Gruppe"),
        )
    )

    group = next(f for f in stored(draft)["steps"][1]["fields"] if f["key"] == "welpen")
    assert [c["key"] for c in group["fields"]] == ["entry", "geimpft"]
    assert change.anchor == "field-welpen-geimpft"
    spec = FormSpec.from_definition(stored(draft))
    vaccinated = spec.fields_by_key["welpen"].children[1]
    assert vaccinated.is_required({"entry": "Bello"}) and not vaccinated.is_required({})


def test_a_published_version_cannot_be_edited(draft, clerk):
    forms_services.publish_version(actor=from_user(clerk), version=draft)
    before = stored(draft)

    refused(
        lambda: services.add_field(
            actor=from_user(clerk),
            version=draft,
            step_key="dog",
            raw=post(type="text", label_de="X"),
        ),
        "not_a_draft_version",
    )
    assert stored(draft) == before


def test_only_those_who_may_build_forms_may_change_a_draft(draft, tenant_a, citizen):
    from portalwerk.platform.accounts.models import Role
    from tests.conftest import make_user

    reader = make_user(tenant_a, "reader@alpha.example", Role.CLERK_READER)
    before = stored(draft)
    for who in (citizen, reader):
        refused(
            lambda who=who: services.add_step(
                actor=from_user(who),
                version=draft,
                raw=post(title_de="Neu", type="text", label_de="Frage"),
            ),
            "permission_denied",
        )
        refused(lambda who=who: services.get_version_for(from_user(who), draft.form_id, 1))
    assert stored(draft) == before


def test_the_person_step_is_valid_for_the_builder_helpers():
    from portalwerk.platform.forms.builder import definition as d

    definition = {"steps": [copy.deepcopy(PERSON_STEP)]}
    assert d.slug_key("1. Straße") == "field_1_strasse"
    assert d.unique_key("first_name", d.field_keys(definition)) == "first_name_2"
    assert d.field(definition, "email")["type"] == "email"
