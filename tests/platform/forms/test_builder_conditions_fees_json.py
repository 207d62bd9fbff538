"""The form builder's services for conditions, the fee, the sign-in and the JSON of the expert
view: what the clerk picks is compiled to the engine's definition; bad input changes nothing."""

from __future__ import annotations

import copy

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.forms import services as forms_services
from portalwerk.platform.forms.builder import services
from portalwerk.platform.forms.engine.form import FormSpec
from tests.helpers.builder import post, refused, stored
from tests.helpers.forms import DEFINITION, FEE_DEFINITION


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


def test_conditions_are_chosen_and_compiled_to_json_logic(draft, clerk):
    services.set_field_condition(
        actor=from_user(clerk),
        version=draft,
        path="dog_name",
        which="show_if",
        raw=post(field="has_dog", op="is", value="no"),
    )
    services.set_step_condition(
        actor=from_user(clerk),
        version=draft,
        step_key="confirm",
        raw=post(field="has_dog", op="not_answered"),
    )

    definition = stored(draft)
    assert definition["steps"][1]["fields"][1]["show_if"] == {"==": [{"var": "has_dog"}, False]}
    assert definition["steps"][3]["skip_if"] == {"!": {"var": "has_dog"}}
    spec = FormSpec.from_definition(definition)
    assert spec.fields_by_key["dog_name"].is_visible({"has_dog": False})
    assert not spec.fields_by_key["dog_name"].is_visible({"has_dog": True})

    services.set_field_condition(
        actor=from_user(clerk), version=draft, path="dog_name", which="show_if", raw=post(field="")
    )
    assert "show_if" not in stored(draft)["steps"][1]["fields"][1]


def test_a_condition_on_a_later_question_or_with_a_wrong_value_is_refused(draft, clerk):
    before = stored(draft)
    refused(
        lambda: services.set_field_condition(
            actor=from_user(clerk),
            version=draft,
            path="first_name",
            which="show_if",
            raw=post(field="has_dog", op="answered"),
        )
    )
    error = refused(
        lambda: services.set_field_condition(
            actor=from_user(clerk),
            version=draft,
            path="dog_name",
            which="show_if",
            raw=post(field="has_dog", op="is", value="vielleicht"),
        )
    )
    assert "value" in error.error_dict
    assert stored(draft) == before


def test_fees_fixed_by_answer_per_entry_and_none(tenant_a, clerk):
    with schema_context(tenant_a.schema_name):
        form = forms_services.create_form(
            actor=from_user(clerk),
            slug="angeln",
            title={"de": "Angeln"},
            definition=copy.deepcopy(FEE_DEFINITION),
        )
        version = form.versions.get()
        actor = from_user(clerk)

        services.set_fee(actor=actor, version=version, raw=post(kind="fixed", amount="12,50"))
        assert stored(version)["fee"] == {"amount": 1250}

        services.set_fee(
            actor=actor,
            version=version,
            raw=post(kind="by_answer", field="duration", amount_1="45", amount="15,00"),
        )
        spec = FormSpec.from_definition(stored(version))
        assert spec.fee_cents({"duration": "5"}) == 4500
        assert spec.fee_cents({"duration": "1"}) == 1500

        refused(
            lambda: services.set_fee(
                actor=actor, version=version, raw=post(kind="fixed", amount="viel")
            )
        )
        assert FormSpec.from_definition(stored(version)).fee_cents({"duration": "5"}) == 4500

        services.set_fee(actor=actor, version=version, raw=post(kind="none"))
        assert "fee" not in stored(version)


def test_the_sign_in_level_and_account(draft, clerk):
    services.set_sign_in(
        actor=from_user(clerk), version=draft, level="substantial", account="business"
    )
    assert stored(draft)["sign_in"] == {"level": "substantial", "account": "business"}
    assert FormSpec.from_definition(stored(draft)).sign_in.level == "substantial"

    refused(
        lambda: services.set_sign_in(actor=from_user(clerk), version=draft, level="max", account="")
    )
    services.set_sign_in(actor=from_user(clerk), version=draft, level="none", account="")
    assert "sign_in" not in stored(draft)


def test_the_json_round_trips_and_invalid_json_changes_nothing(draft, clerk):
    import json

    definition = stored(draft)
    definition["steps"][0]["title"]["de"] = "Über Sie"
    services.save_json(actor=from_user(clerk), version=draft, text=json.dumps(definition))
    assert stored(draft)["steps"][0]["title"]["de"] == "Über Sie"

    error = refused(
        lambda: services.save_json(actor=from_user(clerk), version=draft, text='{"steps": ['),
        "invalid_json",
    )
    assert "Zeile 1, Spalte" in " ".join(error.messages)
    refused(
        lambda: services.save_json(
            actor=from_user(clerk), version=draft, text='{"steps": [{"key": "x", "fields": []}]}'
        ),
        "invalid_definition",
    )
    assert stored(draft)["steps"][0]["title"]["de"] == "Über Sie"
