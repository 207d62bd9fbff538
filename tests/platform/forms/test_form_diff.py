"""The differences between two versions of a form, in words, as shown before publishing."""

import copy

from django.utils import translation

from portalwerk.platform.forms.diff import compare
from tests.helpers.forms import DEFINITION


def _texts(old, new) -> list[str]:
    with translation.override("en"):
        return [c.text for c in compare(old, new, "en")]


def test_the_same_definition_has_no_differences():
    assert _texts(DEFINITION, copy.deepcopy(DEFINITION)) == []


def test_nothing_published_yet_has_nothing_to_compare():
    assert compare(None, DEFINITION, "en") == []


def test_added_removed_and_moved_steps_and_fields_are_named():
    new = copy.deepcopy(DEFINITION)
    documents = new["steps"].pop(2)  # "documents" goes
    new["steps"].insert(0, new["steps"].pop(2))  # "confirm" comes first
    new["steps"].append(
        {
            "key": "payment",
            "title": {"de": "Zahlung", "en": "Payment"},
            "fields": [{"key": "iban", "type": "iban", "label": {"de": "IBAN", "en": "IBAN"}}],
        }
    )
    person = next(s for s in new["steps"] if s["key"] == "person")
    person["fields"].insert(0, person["fields"].pop(2))  # email first
    dog = next(s for s in new["steps"] if s["key"] == "dog")
    dog["fields"].append(documents["fields"][0])  # the photo moves to the dog step
    texts = _texts(DEFINITION, new)
    assert "Step “Declaration” moved from position 4 to 1." in texts
    assert "Step “Payment” added (now step 4)." in texts
    assert "Field “IBAN” added to step “Payment”." in texts
    assert "Step “Documents” removed, with its fields." in texts
    assert "Field “Photo” moved from step “Documents” to step “Dog”." in texts
    assert "Field “Email address” moved within step “About you” (now 1 of 3)." in texts
    # one moved field is one sentence: the fields it passed are not reported as moved
    assert not any("“First name” moved" in t for t in texts)


def test_changed_label_required_condition_validation_options_and_fee_are_named():
    new = copy.deepcopy(DEFINITION)
    first, last, email = new["steps"][0]["fields"]
    first["label"] = {"de": "Rufname", "en": "Given name"}
    last["required"] = False
    last["validation"] = {"max_length": 80}
    email["label"]["de"] = "E-Mail"  # only the German label
    dog_name = new["steps"][1]["fields"][1]
    dog_name["show_if"] = {"==": [{"var": "has_dog"}, True]}
    new["steps"][2]["skip_if"] = None
    new["fee"] = {"amount": 2500}
    texts = _texts(DEFINITION, new)
    assert "Field “Given name”: label changed from “First name” to “Given name”." in texts
    assert "Field “Last name”: no longer required." in texts
    assert "Field “Last name”: rule “longest length” added: 80." in texts
    assert (
        "Field “Email address”: label changed from “E-Mail-Adresse (de)” to “E-Mail (de)”." in texts
    )
    assert (
        "Field “Name of the dog”: now shown if “Do you have a dog?” is answered yes "
        "(before: if “Do you have a dog?” is answered yes)." in texts
    )
    assert "Step “Documents”: it is no longer skipped on a condition." in texts
    assert "The fee changed from an amount that depends on the answers to €25.00." in texts


def test_options_and_group_fields_are_compared_by_their_values_and_keys():
    old = {
        "steps": [
            {
                "key": "s",
                "title": "S",
                "fields": [
                    {
                        "key": "size",
                        "type": "choice",
                        "label": "Größe",
                        "options": [
                            {"value": "s", "label": "Klein"},
                            {"value": "m", "label": "Mittel"},
                        ],
                    },
                    {
                        "key": "kids",
                        "type": "repeat",
                        "label": "Kinder",
                        "fields": [{"key": "name", "type": "text", "label": "Name"}],
                    },
                ],
            }
        ]
    }
    new = copy.deepcopy(old)
    new["steps"][0]["fields"][0]["options"] = [
        {"value": "m", "label": "Mittel"},
        {"value": "l", "label": "Groß"},
    ]
    new["steps"][0]["fields"][1]["fields"].append(
        {"key": "born", "type": "date", "label": "Geboren"}
    )
    new["steps"][0]["fields"][1]["fields"][0]["required"] = True
    texts = _texts(old, new)
    assert "Field “Größe”: options added: “Groß”." in texts
    assert "Field “Größe”: options removed: “Klein”." in texts
    assert "Field “Geboren” added to the group “Kinder”." in texts
    assert "Field “Name (in “Kinder”)”: now required." in texts


def test_the_differences_read_in_german():
    new = copy.deepcopy(DEFINITION)
    new["steps"][0]["fields"][1]["required"] = False
    with translation.override("de"):
        texts = [c.text for c in compare(DEFINITION, new, "de")]
    assert texts == ["Feld „Nachname“: nicht mehr Pflicht."]


def test_conditions_read_in_words_where_they_have_a_simple_shape():
    from tests.helpers.forms import FEE_DEFINITION

    new = copy.deepcopy(FEE_DEFINITION)
    first_name = new["steps"][0]["fields"][0]
    new["steps"][0]["fields"].append(
        {"key": "note", "type": "text", "label": {"de": "Hinweis", "en": "Note"}}
    )
    new["steps"][1]["fields"].append(
        {
            "key": "reason",
            "type": "textarea",
            "label": {"de": "Grund", "en": "Reason"},
            "require_if": {"==": [{"var": "duration"}, "5"]},
        }
    )
    first_name["show_if"] = {"and": [{"var": "note"}, {"!=": [{"var": "duration"}, "1"]}]}
    new["steps"][1]["skip_if"] = {"!": {"var": "note"}}
    texts = _texts(FEE_DEFINITION, new)
    assert (
        "Field “First name”: now shown only if “Note” is answered and “Valid for” is not "
        "“1 year”." in texts
    )
    assert "Step “Fishing licence”: now skipped if “Note” is not answered." in texts
    # a field that is new says so; its condition is part of what is new
    assert "Field “Reason” added to step “Fishing licence”." in texts
    # a condition of another shape has no words: it is said to have changed
    other = copy.deepcopy(new)
    other["steps"][0]["fields"][0]["show_if"] = {">": [{"count": {"var": "note"}}, 2]}
    assert "Field “First name”: the condition for showing it changed." in _texts(new, other)


def test_a_condition_reads_as_german_after_wenn():
    new = copy.deepcopy(DEFINITION)
    new["steps"][0]["fields"][1]["show_if"] = {"var": "first_name"}
    with translation.override("de"):
        texts = [c.text for c in compare(DEFINITION, new, "de")]
    assert texts == ["Feld „Nachname“: wird jetzt nur angezeigt, wenn „Vorname“ beantwortet ist."]
