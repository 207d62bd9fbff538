"""Junk input classes of the attack run, sent to every operation of the tenant API, argument by
argument: NUL characters and huge texts in every String, ID and JSON argument (inside input
objects too), extreme dates in every Date and DateTime, and request bodies that are 10,000 levels
deep or valid JSON but not an object. The operations and arguments come from the schema itself,
so a new operation is covered without being listed here.

Every answer must be JSON below 500, without the "Unexpected error." of a crash; the junk
classes are refused with a typed error (`extensions.code`) in the user's language."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    get_named_type,
)

from portalwerk.graphql.core.limits import LARGE_STRING_ARGUMENTS
from portalwerk.graphql.schema_tenant import schema as tenant_schema

MASK = "Unexpected error."
NUL = "alpha\x00beta"
HUGE = "x" * 20_001
DATES = {"Date": ["9999-12-31", "0001-01-01"], "DateTime": ["9999-12-31T23:59:59+00:00"]}
TEXT_SCALARS = {"String", "ID", "JSON"}
PLAUSIBLE = {
    "String": "abc",
    "ID": "QWJjOjE=",
    "Int": 1,
    "Float": 1.0,
    "Boolean": False,
    "Date": "2026-06-01",
    "DateTime": "2026-06-01T10:00:00+02:00",
    "Time": "10:00:00",
    "JSON": {},
}


def _plausible(type_):
    """A value of `type_` that passes coercion: lists of one, required input fields filled."""
    nullable = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if isinstance(nullable, GraphQLList):
        return [_plausible(nullable.of_type)]
    if isinstance(nullable, GraphQLEnumType):
        return next(iter(nullable.values))
    if isinstance(nullable, GraphQLInputObjectType):
        return {
            name: _plausible(field.type)
            for name, field in nullable.fields.items()
            if isinstance(field.type, GraphQLNonNull)
        }
    return PLAUSIBLE[nullable.name]


def _junk_for(type_):
    """(path inside the value, junk) for each text or date place of `type_`."""
    named = get_named_type(type_)
    if isinstance(named, GraphQLInputObjectType):
        for name, field in named.fields.items():
            for path, junk in _junk_for(field.type):
                yield (name, *path), junk
    elif isinstance(named, GraphQLScalarType) and named.name in TEXT_SCALARS:
        for junk in (NUL, HUGE) if named.name != "JSON" else ({"a": NUL}, {"k": HUGE}):
            yield (), junk
    elif isinstance(named, GraphQLScalarType) and named.name in DATES:
        for junk in DATES[named.name]:
            yield (), junk


def _place(value, path: tuple, junk):
    if not path:
        return [junk] if isinstance(value, list) else junk
    if isinstance(value, list):
        return [_place(value[0], path, junk)]
    return {**value, path[0]: _place(value.get(path[0], {}), path[1:], junk)}


def _cases():
    graphql_schema = tenant_schema._schema
    for kind, root in (
        ("query", graphql_schema.query_type),
        ("mutation", graphql_schema.mutation_type),
    ):
        for field_name, field in root.fields.items():
            named = get_named_type(field.type)
            selection = " { __typename }" if isinstance(named, GraphQLObjectType) else ""
            declarations = ", ".join(f"${n}: {a.type}" for n, a in field.args.items())
            arguments = ", ".join(f"{n}: ${n}" for n in field.args)
            head = f"{kind} Junk({declarations})" if declarations else f"{kind} Junk"
            call = f"{field_name}({arguments})" if arguments else field_name
            query = f"{head} {{ {call}{selection} }}"
            plausible = {n: _plausible(a.type) for n, a in field.args.items()}
            for name, argument in field.args.items():
                for path, junk in _junk_for(argument.type):
                    variables = {**plausible, name: _place(plausible[name], path, junk)}
                    label = f"{field_name}.{'.'.join((name, *path))}={str(junk)[:20]!r}"
                    # a file's base64 may be long: the body limit and the upload service bound it
                    refused = not (junk is HUGE and name in LARGE_STRING_ARGUMENTS)
                    yield label, query, variables, refused


CASES = list(_cases())


def test_the_crawler_reaches_the_arguments_of_the_attack_run():
    labels = " ".join(case[0] for case in CASES)
    assert "form.slug='alpha\\x00beta'" in labels
    assert "submitForm.idempotencyKey='alpha\\x00beta'" in labels
    assert "availableDays.from='9999-12-31'" in labels
    assert "holdAppointment.input.name='xxxxxxxxxxxxxxxxxxxx'" in labels


def _send(client, body: str, **headers):
    with transaction.atomic():
        response = client.post("/graphql/", data=body, content_type="application/json", **headers)
        transaction.set_rollback(True)
    return response


@pytest.fixture
def clients(client_for, tenant_a, clerk, signed_in):
    return [("anonymous", client_for(tenant_a)), ("clerk", signed_in(tenant_a, clerk))]


def test_junk_in_every_argument_is_a_typed_error_in_the_users_language(clients):
    failures: list[str] = []
    for who, client in clients:
        for label, query, variables, refused in CASES:
            response = _send(client, json.dumps({"query": query, "variables": variables}))
            where = f"{label} as {who}"
            if response.status_code >= 500:
                failures.append(f"HTTP {response.status_code}: {where}")
                continue
            errors = response.json().get("errors") or []
            if any(error.get("message") == MASK for error in errors):
                failures.append(f"{MASK} {where}")
            elif refused and (errors[:1] or [{}])[0].get("extensions", {}).get("code") != (
                "invalid_input"
            ):
                failures.append(f"not refused as invalid input: {where}: {errors[:1]}")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:40])


def test_the_refusals_speak_the_users_language(client_for, tenant_a):
    query = "query Q($s: String!) { form(slug: $s) { slug } }"
    body = json.dumps({"query": query, "variables": {"s": NUL}})
    german = _send(client_for(tenant_a), body).json()["errors"][0]["message"]
    english = _send(client_for(tenant_a), body, HTTP_ACCEPT_LANGUAGE="en").json()["errors"][0]
    assert german == "Text darf keine NUL-Zeichen enthalten."
    assert english["message"] == "Text must not contain NUL characters."


DEEP = 10_000
BODIES = {
    "deep array": "[" * DEEP + "]" * DEEP,
    "deep variables": '{"query": "{ __typename }", "variables": '
    + '{"a": ' * DEEP
    + "1"
    + "}" * (DEEP + 1),
    "array": "[1, 2, 3]",
    "string": '"{ __typename }"',
    "number": "42",
    "true": "true",
    "null": "null",
    "query not a string": '{"query": 42}',
    "variables not an object": '{"query": "{ __typename }", "variables": [1]}',
}


@pytest.mark.parametrize("name", list(BODIES))
def test_bodies_that_are_no_graphql_request_are_a_json_error(client_for, tenant_a, name):
    response = _send(client_for(tenant_a), BODIES[name])
    assert 400 <= response.status_code < 500, (name, response.status_code)
    assert response["Content-Type"] == "application/json"
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "bad_request"
    assert error["message"] != MASK


def test_a_query_text_10000_levels_deep_is_refused_by_the_parser(client_for, tenant_a):
    query = "{ " + "a { " * DEEP + "b" + " }" * DEEP + " }"
    response = _send(client_for(tenant_a), json.dumps({"query": query}))
    assert response.status_code == 200
    [error] = response.json()["errors"]
    assert "nested too deeply" in error["message"]
