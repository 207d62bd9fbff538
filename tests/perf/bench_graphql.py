"""Tenant API: the costliest queries the limits still accept, against a simple query, in one run.

The attack run (issue 11) found a 960-byte query (14 aliases × `services(first: 100)` with
nested fields) that took 6–7 s. The cost limit now refuses it before it runs; what is left is
the worst a client can still ask for. Each shape below is built to sit just under the cost
limit on a catalogue of 100 services, sent through Django's full request path (middleware,
view, schema) in this process, and timed against `{ tenant { name } }`:

- `graphql_worst_<shape>_ratio`: median time of the shape / median time of the simple query;
- `graphql_worst_accepted_ratio`: the largest of them;
- `graphql_attack_refused_ratio`: the attack run's query (refused) against the simple query.

The per-client limit on expensive queries (`GRAPHQL_EXPENSIVE_PER_MINUTE`) is switched off
while measuring; it bounds how often a client may send such a query, not how long one takes.
"""

from __future__ import annotations

import json

from .registry import Run, bench, median_time

SLUG = "gql-bench"
SERVICES = 100
FRAGMENT = (
    "fragment S on Service { name summary description "
    "office { name openingHours { weekday opens closes } closures { reason } } "
    "categories { name } }"
)
SIMPLE = "{ tenant { name } }"
SEARCHES = [
    "a",
    "e",
    "i",
    "o",
    "u",
    "an",
    "en",
    "er",
    "ei",
    "st",
    "ung",
    "aus",
    "bau",
    "ein",
    "amt",
]


def _aliases(count: int, first: int, selection: str = "...S") -> str:
    fields = " ".join(
        f"a{n}: services(first: {first}) {{ edges {{ node {{ {selection} }} }} }}"
        for n in range(count)
    )
    return f"{{ {fields} }} {FRAGMENT if selection == '...S' else ''}"


def _prepare() -> str:
    """A municipality with the demo catalogue grown to SERVICES published services."""
    from django_tenants.utils import schema_context

    from portalwerk.platform.authz.actors import system
    from portalwerk.platform.catalog import demo
    from portalwerk.platform.catalog.models import Service
    from portalwerk.tenants import services
    from portalwerk.tenants.models import Tenant

    tenant = Tenant.objects.filter(slug=SLUG).first() or services.create_tenant(
        actor=system("bench"),
        data=services.NewTenant(name="Stadt Graphbach", slug=SLUG, kind="municipality"),
    )
    demo.seed([tenant])
    with schema_context(tenant.schema_name):
        model = Service.objects.filter(is_published=True).exclude(office=None).first()
        categories = list(model.categories.all())
        for number in range(SERVICES - Service.objects.filter(is_published=True).count()):
            copy = Service.objects.get(pk=model.pk)
            copy.pk = None
            copy.slug = f"bench-{number}"
            copy.save()
            copy.categories.set(categories)
    return services.tenant_host(SLUG)


def _shapes() -> dict[str, str]:
    """Queries just under the default cost limit (10,000): a service of the fragment costs 48
    per item, one with only its name 4."""
    return {
        "full_pages": _aliases(2, 100),  # 2 × 100 × 48 = 9,600
        "many_aliases": _aliases(15, 13),  # 15 × 13 × 48 = 9,360
        "many_small_lists": _aliases(15, 100, "name"),  # 15 × 100 × 4 = 6,000
        # 15 different searches: each its own read, which aliases cannot share
        "many_searches": "{ "
        + " ".join(
            f'a{n}: services(first: 100, search: "{word}") {{ edges {{ node {{ name }} }} }}'
            for n, word in enumerate(SEARCHES)
        )
        + " }",
    }


@bench("graphql")
def graphql(run: Run) -> None:
    """Worst accepted tenant API query against a simple one (ratio); the attack query refused."""
    from django.test import Client, override_settings

    host = _prepare()
    client = Client(HTTP_HOST=host)
    repeat = 5 if run.quick else 15

    def send(query: str) -> dict:
        response = client.post(
            "/graphql/", data=json.dumps({"query": query}), content_type="application/json"
        )
        return response.json()

    with override_settings(GRAPHQL_EXPENSIVE_PER_MINUTE=0):
        for name, query in _shapes().items():
            body = send(query)
            if "errors" in body:
                raise RuntimeError(f"{name} is refused, so it measures nothing: {body['errors']}")
        attack = _aliases(14, 100)
        if send(attack)["errors"][0]["extensions"]["code"] != "query_too_costly":
            raise RuntimeError("the attack run's query was not refused by the cost limit")
        send(SIMPLE)
        simple = median_time(lambda _i: send(SIMPLE), repeat * 4)
        run.figure("graphql_simple_ms", simple * 1000)
        worst = 0.0
        for name, query in _shapes().items():
            ratio = median_time(lambda _i, q=query: send(q), repeat) / simple
            run.figure(f"graphql_worst_{name}_ratio", ratio)
            worst = max(worst, ratio)
        run.figure("graphql_worst_accepted_ratio", worst)
        refused = median_time(lambda _i: send(attack), repeat * 4)
        run.figure("graphql_attack_refused_ratio", refused / simple)
