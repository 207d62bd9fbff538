"""The cost limit: a query that asks for too much at once is refused before it runs, in the
user's language, with its own code; expensive operations are limited per client."""

from __future__ import annotations

import json

from django.test import override_settings

from tests.graphql.catalog.test_catalog_api import SERVICES

FRAGMENT = (
    "fragment S on Service { name summary description "
    "office { name openingHours { weekday opens closes } closures { reason } } "
    "categories { name } }"
)


def aliased(count: int, first: int = 100) -> str:
    """The attack run's query: `count` aliases of `services(first:)` with nested fields."""
    fields = " ".join(
        f"a{n}: services(first: {first}) {{ edges {{ node {{ ...S }} }} }}" for n in range(count)
    )
    return f"{{ {fields} }} {FRAGMENT}"


def post(client, query: str, variables: dict | None = None, **headers):
    return client.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        **headers,
    )


def test_the_attack_runs_query_is_refused_before_it_runs(
    client_for, tenant_a, django_assert_num_queries
):
    # given the query of the attack run: under 1 kB, within the depth, alias and token limits
    query = aliased(14)
    assert len(query) < 1100
    client = client_for(tenant_a)
    post(client, "{ __typename }")  # route the host once
    # when it is sent
    with django_assert_num_queries(0):
        response = post(client, query)
    # then it is refused as a whole, with its own code and the estimated cost, in German
    body = response.json()
    assert response.status_code == 200
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "query_too_costly"
    assert error["extensions"]["cost"] > error["extensions"]["maxCost"] == 10_000
    assert error["message"].startswith("Diese Abfrage verlangt zu viel auf einmal")


def test_the_refusal_speaks_english_to_an_english_client(client_for, tenant_a):
    response = post(client_for(tenant_a), aliased(14), HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["errors"][0]["message"].startswith("This query asks for too much")


def test_a_page_size_given_in_a_variable_counts_like_a_literal(client_for, tenant_a):
    fields = " ".join(
        f"a{n}: services(first: $n) {{ edges {{ node {{ ...S }} }} }}" for n in range(14)
    )
    query = f"query Q($n: Int) {{ {fields} }} {FRAGMENT}"
    client = client_for(tenant_a)
    large = post(client, query, {"n": 100}).json()
    small = post(client, query, {"n": 2}).json()
    assert large["errors"][0]["extensions"]["code"] == "query_too_costly"
    assert "errors" not in small and "a13" in small["data"]


def test_ordinary_queries_of_clients_pass(client_for, tenant_a):
    client = client_for(tenant_a)
    # the catalogue listing with every detail, one page of the default size
    assert "errors" not in post(client, SERVICES).json()
    # one page of 100 services with nested offices and categories
    assert "errors" not in post(client, aliased(1)).json()
    assert "errors" not in post(client, "{ tenant { name members { name } } }").json()


def test_the_limit_follows_the_setting(client_for, tenant_a):
    client = client_for(tenant_a)
    with override_settings(GRAPHQL_MAX_COST=50):
        refused = post(client, aliased(1, first=2)).json()
        passed = post(client, aliased(1, first=1)).json()
    # a service of the fragment costs 46 (its 3 fields, office 32, categories 5 × 2, itself 1),
    # its edge 47, and each of the 2 items asked for 48 with the connection's own field
    assert refused["errors"][0]["extensions"] == {
        "code": "query_too_costly",
        "cost": 96,
        "maxCost": 50,
    }
    assert "errors" not in passed


def test_lists_in_fragments_and_inline_fragments_are_counted(client_for, tenant_a):
    inline = "{ services(first: 100) { edges { node { ... on Service { ...S } } } } }"
    with override_settings(GRAPHQL_MAX_COST=3_000):
        body = post(client_for(tenant_a), f"{inline} {FRAGMENT}").json()
    assert body["errors"][0]["extensions"]["cost"] > 3_000


@override_settings(GRAPHQL_EXPENSIVE_COST=100, GRAPHQL_EXPENSIVE_PER_MINUTE=2)
def test_expensive_operations_are_limited_per_client(client_for, tenant_a):
    # given a client that has run two expensive queries this minute
    client = client_for(tenant_a)
    expensive = aliased(1, first=10)
    for _ in range(2):
        assert "errors" not in post(client, expensive).json()
    # when it sends a third
    response = post(client, expensive)
    # then it is refused with the rate limit's code and HTTP 429, and nothing ran
    assert response.status_code == 429
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "rate_limited"
    assert "Zu viele große Abfragen" in body["errors"][0]["message"]
    # and cheap queries still pass, as do expensive ones from another address
    assert post(client, "{ tenant { name } }").json()["data"]["tenant"]["name"] == "Stadt Alpha"
    assert "errors" not in post(client, expensive, REMOTE_ADDR="192.0.2.7").json()


def test_a_chain_of_fragments_spread_twice_is_refused_before_it_is_walked(
    client_for, tenant_a, gql
):
    # given a short document whose fragments each spread the next one twice: 60 links double
    # it 60 times once filled in (before, the cost and depth rules walked all of that and the
    # request never ended)
    links = 60
    parts = ["query { ...F0 }"]
    parts += [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(links)]
    parts.append(f"fragment F{links} on Query {{ tenant {{ name }} }}")
    # when it is sent
    body = gql(client_for(tenant_a), " ".join(parts), HTTP_ACCEPT_LANGUAGE="en")
    # then it is refused at once, as too costly, and nothing ran
    assert body["data"] is None
    assert [error["extensions"]["code"] for error in body["errors"]] == ["query_too_costly"]
    assert "once its fragments are filled in" in body["errors"][0]["message"]
