"""The form engine: definitions, conditions and validation of answers, on the server alone."""

import datetime

import pytest
from django.utils import translation

from portalwerk.platform.forms.engine.form import FormSpec
from portalwerk.platform.forms.engine.specs import DefinitionError, UploadInfo

L = {"de": "Name", "en": "Name"}


def spec_of(*fields, **extra):
    return FormSpec.from_definition({"steps": [{"key": "one", "fields": list(fields)}], **extra})


def clean(spec, raw, answers=None, **kwargs):
    values, errors = spec.clean_step("one", raw, answers or {}, **kwargs)
    return values, {e.path: e.code for e in errors}


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        ({"type": "text"}, "  Anna   Muster ", "Anna Muster"),
        ({"type": "textarea"}, "line 1\r\nline 2", "line 1\nline 2"),
        ({"type": "email"}, "Anna@Example.COM", "anna@example.com"),
        ({"type": "phone"}, "+49 511 123456", "+49 511 123456"),
        ({"type": "number"}, "12,5", 12.5),
        ({"type": "number"}, 3, 3),
        ({"type": "date"}, "27.03.1990", "1990-03-27"),
        ({"type": "date"}, "1990-03-27", "1990-03-27"),
        ({"type": "yesno"}, "yes", True),
        ({"type": "yesno"}, False, False),
        ({"type": "iban"}, "de89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ({"type": "postcode"}, "12345", "12345"),
        ({"type": "declaration"}, "on", True),
        (
            {"type": "choice", "options": [{"value": "a", "label": "A"}, {"value": "b"}]},
            "b",
            "b",
        ),
        (
            {"type": "multichoice", "options": [{"value": "a"}, {"value": "b"}]},
            ["b", "a"],
            ["a", "b"],
        ),
    ],
)
def test_values_are_normalised_by_type(field, raw, expected):
    spec = spec_of({"key": "x", "label": L, **field})
    values, errors = clean(spec, {"x": raw})
    assert errors == {}
    assert values == {"x": expected}


@pytest.mark.parametrize(
    ("field", "raw", "code"),
    [
        ({"type": "text", "required": True}, "   ", "required"),
        ({"type": "text", "validation": {"max_length": 3}}, "abcd", "too_long"),
        ({"type": "text", "validation": {"min_length": 3}}, "ab", "too_short"),
        ({"type": "text", "validation": {"pattern": "[A-Z]{2}"}}, "abc", "pattern"),
        ({"type": "text"}, ["a list"], "invalid_type"),
        ({"type": "email"}, "not-an-email", "invalid_email"),
        ({"type": "phone"}, "call me", "invalid_phone"),
        ({"type": "number"}, "zwölf", "invalid_type"),
        ({"type": "number"}, True, "invalid_type"),
        ({"type": "number", "validation": {"integer": True}}, "1.5", "not_integer"),
        ({"type": "number", "validation": {"min": 1}}, "0", "too_small"),
        ({"type": "number", "validation": {"max": 10}}, "11", "too_large"),
        ({"type": "date"}, "31.02.2020", "invalid_date"),
        ({"type": "date", "validation": {"before": "today"}}, "2999-01-01", "date_too_late"),
        ({"type": "date", "validation": {"after": "2000-01-01"}}, "1999-01-01", "date_too_early"),
        ({"type": "choice", "options": [{"value": "a"}]}, "z", "invalid_choice"),
        ({"type": "multichoice", "options": [{"value": "a"}]}, ["a", "z"], "invalid_choice"),
        ({"type": "yesno"}, "maybe", "invalid_choice"),
        ({"type": "iban"}, "DE89 3704 0044 0532 0130 01", "invalid_iban"),
        ({"type": "iban"}, "DE89 3704", "invalid_iban"),
        ({"type": "postcode"}, "1234", "invalid_postcode"),
        ({"type": "declaration", "required": True}, "", "required"),
        ({"type": "file", "required": True}, "", "required"),
        ({"type": "file"}, "no-such-upload", "file_missing"),
    ],
)
def test_bad_values_get_a_coded_error(field, raw, code):
    spec = spec_of({"key": "x", "label": L, **field})
    values, errors = clean(spec, {"x": raw})
    assert errors == {"x": code}
    assert values == {}


def test_error_messages_name_the_field_in_the_active_language():
    spec = spec_of(
        {
            "key": "x",
            "label": {"de": "Vorname", "en": "First name"},
            "required": True,
            "type": "text",
        }
    )
    with translation.override("en"):
        _, errors = spec.clean_step("one", {}, {})
    assert errors[0].message == "Enter “First name”."
    with translation.override("de"):
        _, errors = spec.clean_step("one", {}, {})
    assert "Vorname" in errors[0].message


def test_a_custom_message_replaces_the_default():
    spec = spec_of(
        {
            "key": "x",
            "label": L,
            "type": "text",
            "required": True,
            "messages": {"required": {"de": "Bitte Namen angeben", "en": "Enter your name"}},
        }
    )
    with translation.override("en"):
        _, errors = spec.clean_step("one", {}, {})
    assert errors[0].message == "Enter your name"


def test_uploads_are_checked_for_kind_and_size():
    spec = spec_of(
        {
            "key": "doc",
            "label": L,
            "type": "file",
            "validation": {"file_types": ["pdf"], "max_size": 1000},
        }
    )
    store = {
        "u1": UploadInfo("u1", "a.pdf", "pdf", 500),
        "u2": UploadInfo("u2", "b.png", "png", 500),
        "u3": UploadInfo("u3", "c.pdf", "pdf", 5000),
    }
    lookup = lambda ids: {i: store[i] for i in ids if i in store}  # noqa: E731
    assert clean(spec, {"doc": "u1"}, uploads=lookup) == ({"doc": "u1"}, {})
    assert clean(spec, {"doc": "u2"}, uploads=lookup)[1] == {"doc": "file_type"}
    assert clean(spec, {"doc": "u3"}, uploads=lookup)[1] == {"doc": "file_too_large"}
    assert clean(spec, {"doc": ["u1", "u1"]}, uploads=lookup)[1] == {"doc": "invalid_type"}


def test_address_group_checks_each_part():
    spec = spec_of({"key": "home", "label": L, "type": "address", "required": True})
    values, errors = clean(
        spec, {"home": {"street": "Hauptstr.", "house_number": "1", "postcode": "123", "city": ""}}
    )
    assert errors == {"home.postcode": "invalid_postcode", "home.city": "required"}
    values, errors = clean(
        spec,
        {
            "home": {
                "street": "Hauptstr.",
                "house_number": "1a",
                "postcode": "12345",
                "city": "Musterstadt",
            }
        },
    )
    assert errors == {}
    assert values["home"]["city"] == "Musterstadt"
    _, errors = clean(spec, {"home": {"street": "x", "planet": "Mars"}})
    assert errors == {"home.planet": "unknown_field"}


def test_show_if_hides_a_field_and_drops_its_value():
    spec = spec_of(
        {"key": "has_dog", "label": L, "type": "yesno", "required": True},
        {
            "key": "dog_name",
            "label": L,
            "type": "text",
            "required": True,
            "show_if": {"==": [{"var": "has_dog"}, True]},
        },
    )
    # given "no dog", the dog's name is neither required nor kept
    assert clean(spec, {"has_dog": "no", "dog_name": "Bello"}) == ({"has_dog": False}, {})
    # given "a dog", the name is required
    assert clean(spec, {"has_dog": "yes"})[1] == {"dog_name": "required"}


def test_require_if_makes_an_optional_field_required():
    spec = spec_of(
        {
            "key": "contact",
            "label": L,
            "type": "choice",
            "options": [{"value": "mail"}, {"value": "phone"}],
        },
        {
            "key": "phone",
            "label": L,
            "type": "phone",
            "require_if": {"==": [{"var": "contact"}, "phone"]},
        },
    )
    assert clean(spec, {"contact": "mail"})[1] == {}
    assert clean(spec, {"contact": "phone"})[1] == {"phone": "required"}


def test_unknown_fields_are_refused_in_strict_mode_only():
    spec = spec_of({"key": "x", "label": L, "type": "text"})
    assert clean(spec, {"x": "a", "is_admin": "1"})[1] == {"is_admin": "unknown_field"}
    assert clean(spec, {"x": "a", "csrfmiddlewaretoken": "t"}, strict=False)[1] == {}


def test_repeating_group_validates_each_item_with_its_own_conditions():
    spec = spec_of(
        {
            "key": "dogs",
            "label": L,
            "type": "repeat",
            "required": True,
            "max_items": 2,
            "fields": [
                {"key": "name", "label": L, "type": "text", "required": True},
                {"key": "listed", "label": L, "type": "yesno", "required": True},
                {
                    "key": "certificate",
                    "label": L,
                    "type": "text",
                    "require_if": {"==": [{"var": "listed"}, True]},
                },
            ],
        }
    )
    # given two dogs, only the listed one needs a certificate
    values, errors = clean(
        spec,
        {
            "dogs": [
                {"name": "Bello", "listed": "no"},
                {"name": "Rex", "listed": "yes"},
            ]
        },
    )
    assert errors == {"dogs.1.certificate": "required"}
    values, errors = clean(
        spec,
        {
            "dogs": [
                {"name": "Bello", "listed": "no", "certificate": "ignored? no: kept when visible"},
                {"name": "Rex", "listed": "yes", "certificate": "A-1"},
            ]
        },
    )
    assert errors == {}
    assert [d["name"] for d in values["dogs"]] == ["Bello", "Rex"]
    assert clean(spec, {"dogs": []})[1] == {"dogs": "required"}
    assert clean(spec, {"dogs": [{"name": "a", "listed": "no"}] * 3})[1] == {
        "dogs": "too_many_items"
    }
    assert clean(spec, {"dogs": [{"name": "a", "listed": "no", "x": 1}]})[1] == {
        "dogs.0.x": "unknown_field"
    }
    assert clean(spec, {"dogs": "Bello"})[1] == {"dogs": "invalid_type"}


def test_item_conditions_can_read_earlier_answers_of_the_form():
    spec = FormSpec.from_definition(
        {
            "steps": [
                {"key": "a", "fields": [{"key": "business", "label": L, "type": "yesno"}]},
                {
                    "key": "b",
                    "fields": [
                        {
                            "key": "people",
                            "label": L,
                            "type": "repeat",
                            "fields": [
                                {"key": "name", "label": L, "type": "text", "required": True},
                                {
                                    "key": "role",
                                    "label": L,
                                    "type": "text",
                                    "show_if": {"var": "business"},
                                    "required": True,
                                },
                            ],
                        }
                    ],
                },
            ]
        }
    )
    values, errors = spec.clean_step("b", {"people": [{"name": "A"}]}, {"business": True})
    assert [(e.path, e.code) for e in errors] == [("people.0.role", "required")]
    values, errors = spec.clean_step("b", {"people": [{"name": "A"}]}, {"business": False})
    assert errors == [] and values == {"people": [{"name": "A"}]}


def two_step_spec():
    return FormSpec.from_definition(
        {
            "steps": [
                {
                    "key": "who",
                    "fields": [{"key": "business", "label": L, "type": "yesno", "required": True}],
                },
                {
                    "key": "company",
                    "skip_if": {"!": {"var": "business"}},
                    "fields": [
                        {"key": "company_name", "label": L, "type": "text", "required": True}
                    ],
                },
                {
                    "key": "end",
                    "fields": [{"key": "ok", "label": L, "type": "declaration", "required": True}],
                },
            ],
            "fee": {"amount": {"if": [{"var": "business"}, 5000, 2000]}},
        }
    )


def test_skip_if_skips_a_step_and_navigation_follows():
    spec = two_step_spec()
    assert [s.key for s in spec.active_steps({"business": False})] == ["who", "end"]
    assert spec.next_step({"business": False}, "who").key == "end"
    assert spec.next_step({"business": True}, "who").key == "company"
    assert spec.previous_step({"business": False}, "end").key == "who"


def test_clean_all_validates_every_active_step_and_drops_skipped_answers():
    spec = two_step_spec()
    values, errors = spec.clean_all({"business": "no", "company_name": "ACME", "ok": True})
    assert errors == []
    assert values == {"business": False, "ok": True}
    _, errors = spec.clean_all({"business": "yes", "ok": True, "price": 0})
    assert {(e.path, e.code) for e in errors} == {
        ("company_name", "required"),
        ("price", "unknown_field"),
    }


def test_fee_is_fixed_or_computed_from_answers():
    spec = two_step_spec()
    assert spec.fee_cents({"business": True}) == 5000
    assert spec.fee_cents({"business": False}) == 2000
    fixed = spec_of({"key": "x", "label": L, "type": "text"}, fee={"amount": 1200})
    assert fixed.needs_payment and fixed.fee_cents({}) == 1200
    assert not spec_of({"key": "x", "label": L, "type": "text"}).needs_payment


def test_summary_lists_answers_with_labels_for_people():
    spec = two_step_spec()
    with translation.override("en"):
        summary = spec.summary({"business": True, "company_name": "ACME", "ok": True})
    rows = [(r["label"], r["value"]) for s in summary for r in s["rows"]]
    assert rows == [("Name", "Yes"), ("Name", "ACME"), ("Name", "Confirmed")]


def test_date_bounds_accept_offsets_from_today():
    spec = spec_of(
        {"key": "born", "label": L, "type": "date", "validation": {"before": "today-14y"}}
    )
    too_young = (datetime.date.today() - datetime.timedelta(days=365 * 10)).isoformat()
    old_enough = (datetime.date.today() - datetime.timedelta(days=365 * 30)).isoformat()
    assert clean(spec, {"born": too_young})[1] == {"born": "date_too_late"}
    assert clean(spec, {"born": old_enough})[1] == {}


@pytest.mark.parametrize(
    ("definition", "problem"),
    [
        ({}, "at least one step"),
        ({"steps": [{"key": "a", "fields": []}]}, "at least one field"),
        (
            {"steps": [{"key": "a", "fields": [{"key": "x", "type": "colour", "label": "X"}]}]},
            "unknown type",
        ),
        (
            {
                "steps": [
                    {
                        "key": "a",
                        "fields": [
                            {"key": "x", "type": "text", "label": "X"},
                            {"key": "x", "type": "text", "label": "Y"},
                        ],
                    }
                ]
            },
            "used twice",
        ),
        (
            {"steps": [{"key": "a", "fields": [{"key": "x", "type": "choice", "label": "X"}]}]},
            "needs options",
        ),
        (
            {
                "steps": [
                    {
                        "key": "a",
                        "fields": [
                            {
                                "key": "x",
                                "type": "text",
                                "label": "X",
                                "show_if": {"==": [{"var": "nope"}, 1]},
                            }
                        ],
                    }
                ]
            },
            "unknown field 'nope'",
        ),
        (
            {
                "steps": [
                    {
                        "key": "a",
                        "fields": [
                            {"key": "x", "type": "text", "label": "X", "show_if": {"teleport": 1}}
                        ],
                    }
                ]
            },
            "unknown operator",
        ),
        (
            {
                "steps": [
                    {
                        "key": "a",
                        "fields": [
                            {
                                "key": "x",
                                "type": "text",
                                "label": "X",
                                "validation": {"pattern": "("},
                            }
                        ],
                    }
                ]
            },
            "does not compile",
        ),
        (
            {"steps": [{"key": "a", "fields": [{"key": "Bad Key", "type": "text", "label": "X"}]}]},
            "lower case",
        ),
        (
            {
                "steps": [
                    {
                        "key": "a",
                        "fields": [
                            {
                                "key": "x",
                                "type": "file",
                                "label": "X",
                                "validation": {"file_types": ["exe"]},
                            }
                        ],
                    }
                ]
            },
            "file_types",
        ),
    ],
)
def test_broken_definitions_are_explained(definition, problem):
    with pytest.raises(DefinitionError) as caught:
        FormSpec.from_definition(definition)
    assert problem in str(caught.value)


def test_a_hundred_fields_with_fifty_conditions_validate():
    # the shape that `make bench` times (form_validate_100_fields_ms)
    from portalwerk.platform.forms.bench_data import big_answers, big_definition

    spec = FormSpec.from_definition(big_definition())
    values, errors = spec.clean_all(big_answers())
    assert errors == []
    assert len(values) >= 75
