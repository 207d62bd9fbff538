"""Answers are bounded before any field is cleaned, in the engine, so that the web form, the API
and the submit service refuse the same things: too many values, too deep, too long, NUL."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.forms import services
from portalwerk.platform.forms.engine import bounds
from portalwerk.platform.forms.engine.form import FormSpec
from portalwerk.platform.forms.models import Draft

SPEC = FormSpec.from_definition(
    {
        "steps": [
            {
                "key": "person",
                "fields": [
                    {"key": "name", "type": "text", "label": "Name", "required": True},
                    {"key": "note", "type": "textarea", "label": "Note"},
                ],
            }
        ]
    }
)


def codes(errors) -> list[tuple[str, str]]:
    return [(e.path, e.code) for e in errors]


def test_fifty_thousand_unknown_keys_are_one_error():
    raw = {"name": "Anna", **{f"k{n}": "x" for n in range(50_000)}}
    values, errors = SPEC.clean_step("person", raw, {})
    assert values == {}
    assert codes(errors) == [("", "input_too_large")]


def test_unknown_keys_under_the_bound_are_one_error_too():
    with translation.override("de"):
        _values, errors = SPEC.clean_step("person", {"name": "Anna", "a": 1, "b": 2, "c": 3}, {})
    assert codes(errors) == [("a", "unknown_field")]
    assert errors[0].message == "3 Antworten gehören zu keiner Frage hier."


def test_one_unknown_key_keeps_its_message():
    _values, errors = SPEC.clean_step("person", {"name": "Anna", "is_admin": True}, {})
    assert codes(errors) == [("is_admin", "unknown_field")]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"name": "An\x00na"}, ("name", "invalid_character")),
        ({"name\x00": "Anna"}, ("name\x00", "invalid_character")),
        ({"note": "x" * (bounds.MAX_TEXT + 1)}, ("note", "input_too_large")),
        ({"name": {"a": {"b": {"c": {"d": {"e": "deep"}}}}}}, ("name.a.b.c.d", "input_too_large")),
        ({"name": ["x"] * (bounds.MAX_VALUES + 1)}, ("", "input_too_large")),
    ],
)
def test_answers_beyond_the_bounds_are_one_error_where_they_are(raw, expected):
    _values, errors = SPEC.clean_step("person", raw, {}, strict=False)
    assert codes(errors) == [expected]


def test_complete_answers_are_bounded_too():
    _values, errors = SPEC.clean_all({"name": "Anna", "note": "a\x00"})
    assert codes(errors) == [("note", "invalid_character")]


def test_a_real_step_is_far_below_the_bounds():
    values, errors = SPEC.clean_step("person", {"name": "Anna", "note": "Hallo\nWelt"}, {})
    assert errors == [] and values == {"name": "Anna", "note": "Hallo\nWelt"}


def test_save_and_come_back_later_keeps_nothing_beyond_the_bounds(published_form, tenant_a):
    # given a draft of the published form
    with schema_context(tenant_a.schema_name):
        actor = from_user(None)
        draft = services.start_draft(actor=actor, form=published_form)
        # when "save and continue later" is sent with a NUL in a text
        with pytest.raises(ValidationError) as refused:
            services.keep_step_answers(
                actor=actor, draft=draft, step_key="person", raw={"first_name": "An\x00na"}
            )
        # then it is refused and the draft holds nothing of it
        assert refused.value.error_dict["first_name"][0].code == "invalid_character"
        assert Draft.objects.get(pk=draft.pk).answers == {}


def test_the_web_form_answers_a_nul_with_the_message_at_the_field(
    client_for, published_form, tenant_a
):
    client = client_for(tenant_a)
    url = client.post("/forms/dog-licence/")["Location"]
    page = client.post(url, {"first_name": "An\x00na", "last_name": "Muster", "email": "a@b.de"})
    assert page.status_code < 500
    assert "„Vorname“ enthält ein Zeichen, das nicht erlaubt ist." in page.content.decode()
