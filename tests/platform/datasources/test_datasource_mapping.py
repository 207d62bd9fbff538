"""The paths tenant admins write into a source's answer, and what they select."""

from __future__ import annotations

import pytest

from portalwerk.platform.datasources import mapping

DOC = {
    "regions": [
        {"waters": [{"id": 1, "name": {"de": "Aller", "en": "River Aller"}}]},
        {"waters": [{"id": "leine", "name": "Leine"}, {"id": "leine", "name": "Again"}]},
    ],
    "odd key": {"phone": "0511 1"},
}


def test_lists_in_several_places_are_joined_and_repeated_values_offered_once():
    found = mapping.options(DOC, "$.regions[*].waters", "id", "name", 10)
    assert found == [
        {"value": "1", "label": {"de": "Aller", "en": "River Aller"}},
        {"value": "leine", "label": "Leine"},
    ]


def test_quoted_keys_and_indexes_select_one_value():
    assert mapping.value(DOC, "$['odd key'].phone") == "0511 1"
    assert mapping.value(DOC, "regions[1].waters[0].name") == "Leine"
    assert mapping.value(DOC, "regions[5].waters") is None


@pytest.mark.parametrize("path", ["$$", "$.a..b", "a[x]", "$.a[?(@.x)]"])
def test_anything_beyond_the_subset_is_refused(path):
    with pytest.raises(ValueError):
        mapping.parse_path(path)
