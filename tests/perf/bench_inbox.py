"""The clerk inbox: `inbox_filtered_100k_ratio` (`make bench`, or
`python -m tests.perf --only inbox`): the same filtered inbox page (status "received", assigned
to nobody, newest first) requested as a signed-in clerk through the whole Django stack, in a
tenant with 100,000 submissions against one with 100 (target ≤ 1.5). Both tenants have the same
mix of statuses, assignments and deadlines over the same 60 days, so each page has its 50 rows
in both. Also a search, the deadline order and the overdue filter, each as a ratio, and the
second page (a keyset cursor) against the first at 100,000.

The rows are made with SQL (`generate_series`), not through the services: what is measured is
reading them."""

from __future__ import annotations

import re
import statistics
import time

from .registry import Run, bench

SIZES = {"small": 100, "large": 100_000}
PAGES = {
    "filtered": "/backoffice/inbox/?status=received&assigned=none&sort=-submitted",
    "search": "/backoffice/inbox/?q=Muster&sort=-submitted",
    "due": "/backoffice/inbox/?sort=due",
    "overdue": "/backoffice/inbox/?deadline=overdue",
}

ROWS_SQL = """
INSERT INTO forms_submission (reference, form_id, version_id, answers, applicant_name, email,
    language, fee_cents, status, submitted_at, due_at, updated_at, identity, assigned_to_id)
SELECT 'BENCH-' || lpad(n::text, 7, '0'), %(form)s, %(version)s, '{}'::jsonb,
    'Vorname' || (n %% 500) || ' Muster' || (n %% 997), '', 'de', 0,
    CASE WHEN n %% 10 < 7 THEN 'received' WHEN n %% 10 < 8 THEN 'in_progress'
         WHEN n %% 10 < 9 THEN 'completed' ELSE 'rejected' END,
    now() - n * %(spacing)s * interval '1 second',
    CASE WHEN n %% 10 <> 5
        THEN now() - n * %(spacing)s * interval '1 second' + interval '14 days' END,
    now(), '{}'::jsonb,
    CASE WHEN n %% 10 = 0 THEN %(clerk)s END
FROM generate_series(1, %(count)s) AS n
"""


def _tenant(slug: str, count: int):
    """A tenant with a clerk, a form and `count` submissions; (host, clerk)."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from portalwerk.platform.accounts.models import Role, User
    from portalwerk.platform.authz.actors import system
    from portalwerk.tenants import services
    from tests.helpers.forms import DEFINITION, publish_form

    tenant = services.create_tenant(
        actor=system("bench"),
        data=services.NewTenant(name=f"Bench {slug}", slug=slug, kind="municipality"),
    )
    with schema_context(tenant.schema_name):
        clerk = User.objects.create_user(f"clerk@{slug}.example", role=Role.CLERK_PROCESSOR)
        form = publish_form(clerk, "hund", {"de": "Hund", "en": "Dog"}, DEFINITION)
        with connection.cursor() as cursor:
            cursor.execute(
                ROWS_SQL,
                {
                    "form": form.pk,
                    "version": form.versions.get().pk,
                    "clerk": clerk.pk,
                    "count": count,
                    # both tenants' submissions span the same 60 days
                    "spacing": 60 * 86400 / count,
                },
            )
            cursor.execute("ANALYZE forms_submission")
    return services.tenant_host(slug), tenant.schema_name, clerk


def _client(host: str, schema: str, clerk):
    from django.test import Client
    from django_tenants.utils import schema_context

    client = Client(HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="de")
    with schema_context(schema):
        client.force_login(clerk)
    return client


def _get_ms(client, path: str) -> float:
    start = time.perf_counter()
    response = client.get(path, secure=True)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed


def _second_page(client, path: str) -> str:
    response = client.get(path, secure=True)
    assert response.status_code == 200, (path, response.status_code)
    html = response.content.decode()
    found = re.search(r'href="(\?[^"]*after=[^"]+)" rel="next"', html)
    assert found, "the filtered page has no next page"
    return "/backoffice/inbox/" + found.group(1).replace("&amp;", "&")


@bench("inbox")
def bench_inbox(run: Run) -> None:
    """The filtered inbox page at 100,000 submissions against the same page at 100."""
    repeat = 10 if run.quick else 60
    clients = {}
    for name, count in SIZES.items():
        started = time.perf_counter()
        host, schema, clerk = _tenant(f"bench-inbox-{name}", count)
        run.log(f"bench: inbox {count} submissions in {time.perf_counter() - started:.1f} s")
        clients[name] = _client(host, schema, clerk)
    paths = {name: {**PAGES} for name in SIZES}
    # the second page exists with 50 rows only in the large tenant: it is compared with the
    # large tenant's first page ("page 2,000 costs what page 1 costs")
    paths["large"]["page2"] = _second_page(clients["large"], PAGES["filtered"])
    times: dict[str, dict[str, list[float]]] = {n: {p: [] for p in paths[n]} for n in SIZES}
    for name in SIZES:  # warm: templates compiled, plans and buffers cached
        for path in paths[name].values():
            _get_ms(clients[name], path)
    # one request each in turn, so that drift on a shared machine falls on both sides alike
    for _ in range(repeat):
        for page in paths["large"]:
            for name in SIZES:
                if page in paths[name]:
                    times[name][page].append(_get_ms(clients[name], paths[name][page]))
    median = {n: {p: statistics.median(v) for p, v in pages.items()} for n, pages in times.items()}
    for page in PAGES:
        run.figure(f"inbox_{page}_100_ms", median["small"][page])
        run.figure(f"inbox_{page}_100k_ms", median["large"][page])
        run.figure(f"inbox_{page}_100k_ratio", median["large"][page] / median["small"][page])
    run.figure("inbox_page2_100k_ms", median["large"]["page2"])
    run.figure(
        "inbox_page2_vs_page1_100k_ratio", median["large"]["page2"] / median["large"]["filtered"]
    )
