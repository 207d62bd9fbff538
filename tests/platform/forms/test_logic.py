"""Conditions: the JSON-logic subset forms use."""

import datetime

import pytest

from portalwerk.platform.forms.logic import LogicError, compile_logic, variables


def run(rule, data):
    return compile_logic(rule)(data)


@pytest.mark.parametrize(
    ("rule", "data", "expected"),
    [
        ({"==": [{"var": "a"}, "x"]}, {"a": "x"}, True),
        ({"==": [{"var": "a"}, 1]}, {"a": "1"}, True),
        ({"===": [{"var": "a"}, 1]}, {"a": "1"}, False),
        ({"!=": [{"var": "a"}, "x"]}, {}, True),
        ({">=": [{"var": "age"}, 14]}, {"age": 14}, True),
        ({"<": [{"var": "age"}, 14]}, {"age": 15}, False),
        ({"<": [1, {"var": "n"}, 10]}, {"n": 5}, True),
        ({"<": [{"var": "d"}, "2000-01-01"]}, {"d": "1999-12-31"}, True),
        ({"and": [{"var": "a"}, {"var": "b"}]}, {"a": True, "b": False}, False),
        ({"or": [{"var": "a"}, {"var": "b"}]}, {"a": False, "b": "y"}, "y"),
        ({"!": {"var": "a"}}, {}, True),
        ({"!!": [{"var": "a"}]}, {"a": [1]}, True),
        ({"in": ["dog", {"var": "pets"}]}, {"pets": ["cat", "dog"]}, True),
        ({"in": ["x", "xyz"]}, {}, True),
        ({"if": [{"var": "a"}, "A", {"var": "b"}, "B", "C"]}, {"b": 1}, "B"),
        ({"count": {"var": "dogs"}}, {"dogs": [{}, {}]}, 2),
        ({"var": "address.city"}, {"address": {"city": "Musterstadt"}}, "Musterstadt"),
        ({"var": "dogs.1.name"}, {"dogs": [{"name": "A"}, {"name": "B"}]}, "B"),
        ({"var": ["missing", "fallback"]}, {}, "fallback"),
        ({"missing": ["a", "b"]}, {"a": 1}, ["b"]),
    ],
)
def test_operators_give_json_logic_results(rule, data, expected):
    assert run(rule, data) == expected


def test_arithmetic_computes_a_fee_in_cents():
    # given a fee of 1,500 cents plus 500 per extra sheet
    rule = {"+": [1500, {"*": [500, {"var": "sheets"}]}]}
    # then three sheets cost 3,000
    assert run(rule, {"sheets": 3}) == 3000
    assert run(rule, {}) == 1500
    assert run({"/": [10, 0]}, {}) is None


def test_today_compares_with_iso_dates():
    assert run({"today": []}, {}) == datetime.date.today().isoformat()


@pytest.mark.parametrize(
    "rule",
    [{"nope": [1]}, {"==": [1]}, {"a": 1, "b": 2}, {"var": 3}, {"and": []}],
)
def test_malformed_rules_are_refused_when_compiling(rule):
    with pytest.raises(LogicError):
        compile_logic(rule)


def test_variables_lists_the_paths_a_rule_reads():
    rule = {"and": [{"var": "a"}, {"==": [{"var": ["b.c", 1]}, 2]}]}
    assert variables(rule) == {"a", "b.c"}
