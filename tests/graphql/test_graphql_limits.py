"""Depth, alias and token limits, and introspection only in DEBUG (tenant API, anonymous)."""

from django.conf import settings
from django.test import override_settings

from portalwerk.tenants.models import Tenant


def deep(depth: int) -> str:
    """A query whose deepest field is at `depth` (the root field `tenant` is at depth 0); it
    nests `parent`, a single object, so that its cost stays small whatever the depth."""
    selection = "name"
    for _ in range(depth - 1):
        selection = f"parent {{ {selection} }}"
    return f"{{ tenant {{ {selection} }} }}"


def aliases(count: int) -> str:
    return " ".join(f"a{number}: name" for number in range(count))


def _refused(body, code: str, limit: int) -> None:
    """Refused before anything ran, with the limit's code and its number in the message."""
    assert body.get("data") is None
    assert [error["extensions"]["code"] for error in body["errors"]] == [code], body["errors"]
    assert str(limit) in body["errors"][0]["message"]


def test_a_query_at_the_depth_limit_runs(client_for, tenant_a, gql):
    body = gql(client_for(tenant_a), deep(settings.GRAPHQL_MAX_DEPTH))
    assert "errors" not in body
    assert "parent" in body["data"]["tenant"]


def test_a_query_deeper_than_the_limit_is_refused(client_for, tenant_a, gql):
    body = gql(client_for(tenant_a), deep(settings.GRAPHQL_MAX_DEPTH + 1))
    _refused(body, "query_too_deep", settings.GRAPHQL_MAX_DEPTH)


def test_limit_refusals_are_in_the_users_language(client_for, tenant_a, gql):
    client = client_for(tenant_a)
    query = deep(settings.GRAPHQL_MAX_DEPTH + 1)
    german = gql(client, query, HTTP_ACCEPT_LANGUAGE="de")["errors"][0]["message"]
    english = gql(client, query, HTTP_ACCEPT_LANGUAGE="en")["errors"][0]["message"]
    limit = settings.GRAPHQL_MAX_DEPTH
    assert (
        german == f"Die Abfrage ist zu tief verschachtelt: erlaubt sind höchstens {limit} Ebenen."
    )
    assert english == f"The query is nested too deeply: at most {limit} levels are allowed."


def test_the_depth_limit_follows_the_setting(client_for, tenant_a, gql):
    with override_settings(GRAPHQL_MAX_DEPTH=2):
        body = gql(client_for(tenant_a), "{ tenant { members { parent { name } } } }")
    _refused(body, "query_too_deep", 2)


def test_aliases_up_to_the_limit_are_answered(client_for, tenant_a, gql):
    body = gql(client_for(tenant_a), f"{{ tenant {{ {aliases(settings.GRAPHQL_MAX_ALIASES)} }} }}")
    assert body["data"]["tenant"]["a0"] == "Stadt Alpha"


def test_too_many_aliases_are_refused(client_for, tenant_a, gql):
    limit = settings.GRAPHQL_MAX_ALIASES
    body = gql(client_for(tenant_a), f"{{ tenant {{ {aliases(limit + 1)} }} }}")
    _refused(body, "too_many_aliases", limit)


def test_aliases_hidden_in_fragments_count_too(client_for, tenant_a, gql):
    # given a fragment under the limit that is spread twice, once inline
    half = settings.GRAPHQL_MAX_ALIASES // 2 + 1
    query = f"""
        {{ tenant {{ ...Names parent {{ ... on Tenant {{ ...Names }} }} }} }}
        fragment Names on Tenant {{ {aliases(half)} }}
    """
    # when it is sent
    body = gql(client_for(tenant_a), query)
    # then the aliases of both spreads are counted and the query is refused
    _refused(body, "too_many_aliases", settings.GRAPHQL_MAX_ALIASES)


def test_too_many_tokens_are_refused_before_parsing_ends(client_for, tenant_a, gql):
    names = " ".join(["name"] * settings.GRAPHQL_MAX_TOKENS)
    body = gql(client_for(tenant_a), f"{{ tenant {{ {names} }} }}")
    _refused(body, "too_many_tokens", settings.GRAPHQL_MAX_TOKENS)


def test_the_token_limit_follows_the_setting_and_lets_shorter_queries_run(
    client_for, tenant_a, gql
):
    # given a limit of 50 tokens; `{ tenant { ... } }` is 5 tokens around the names
    client = client_for(tenant_a)
    with override_settings(GRAPHQL_MAX_TOKENS=50):
        # when a query of 50 tokens and one of 51 are sent
        fits = gql(client, f"{{ tenant {{ {' '.join(['name'] * 45)} }} }}")
        too_long = gql(client, f"{{ tenant {{ {' '.join(['name'] * 46)} }} }}")
    # then the first is answered, the second refused
    assert fits["data"]["tenant"]["name"] == "Stadt Alpha"
    _refused(too_long, "too_many_tokens", 50)


SCHEMA = "{ __schema { queryType { name } } }"
TYPE = '{ __type(name: "Tenant") { fields { name } } }'


def test_introspection_is_refused_when_debug_is_off(client_for, tenant_a, platform_tenant, gql):
    assert not settings.DEBUG
    for client in (client_for(tenant_a), client_for(platform_tenant)):
        for query in (SCHEMA, TYPE):
            body = gql(client, query)
            assert body.get("data") is None
            assert "introspection" in body["errors"][0]["message"]


def test_typename_is_not_introspection(client_for, tenant_a, gql):
    body = gql(client_for(tenant_a), "{ __typename tenant { __typename } }")
    assert body["data"] == {"__typename": "Query", "tenant": {"__typename": "Tenant"}}


def test_introspection_works_when_debug_is_on(client_for, tenant_a, gql):
    with override_settings(DEBUG=True):
        body = gql(client_for(tenant_a), SCHEMA)
    assert body["data"] == {"__schema": {"queryType": {"name": "Query"}}}


def test_refused_queries_read_nothing(client_for, tenant_a, gql, django_assert_num_queries):
    # The limits run before execution: a refused query costs no read of tenants.
    client = client_for(tenant_a)
    gql(client, "{ __typename }")  # route the host once
    with django_assert_num_queries(0):
        gql(client, deep(settings.GRAPHQL_MAX_DEPTH + 1))
    assert Tenant.objects.filter(slug="alpha").exists()
