"""The base host's home page and `portalwerk tenants list` cost the same number of statements
for 1 portal and for 1,000 (issue 17: 10,008 statements at 5,000 tenants on main).

The extra tenants are rows only (bulk_create, no schemas): what the page and the command read
is the public schema's tenant and domain tables, whatever the tenant schemas hold."""

import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portalwerk.platform.cli import build_parser
from portalwerk.tenants.models import Domain, Tenant, TenantKind, TenantStatus


def _add_portals(count: int) -> None:
    """`count` active municipalities with a primary and a second domain each, rows only."""
    tenants = Tenant.objects.bulk_create(
        Tenant(
            schema_name=f"bulk_{n:04d}",
            name=f"Massendorf {n:04d}",
            slug=f"massendorf-{n:04d}",
            kind=TenantKind.MUNICIPALITY,
            status=TenantStatus.ACTIVE,
        )
        for n in range(count)
    )
    Domain.objects.bulk_create(
        [Domain(tenant=t, domain=f"{t.slug}.localhost", is_primary=True) for t in tenants]
        + [Domain(tenant=t, domain=f"portal.{t.slug}.example", is_primary=False) for t in tenants]
    )


def _only_one_portal() -> None:
    """Leave exactly one active portal (the test tenants roll back with the test)."""
    keep = Tenant.objects.get(slug="alpha")
    Tenant.objects.exclude(schema_name="public").exclude(pk=keep.pk).update(
        status=TenantStatus.SUSPENDED
    )


def _portals(html: str) -> list[tuple[str, str]]:
    """(link, name) of each portal the page lists."""
    listed = html.split('<ul class="tenant-list">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', listed)


def _home(client, path="/") -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_base_host_home_page_costs_the_same_for_1_and_1000_portals(client_for, db):
    _only_one_portal()
    client = client_for("localhost")
    _home(client)  # warm: host routing and content types are cached
    one, html_one = _home(client)
    assert [name for _link, name in _portals(html_one)] == ["Stadt Alpha"]
    _add_portals(999)
    thousand, html = _home(client)
    assert thousand == one, (one, thousand)
    # a page of them, each linked to its own portal, and a way on
    links = _portals(html)
    assert len(links) == 50
    assert ("http://massendorf-0000.localhost/", "Massendorf 0000") in links
    assert "Seite 1 von 20" in html
    # the next page and a search, both in the database, cost no more
    later, page_two = _home(client, "/?page=2")
    assert later == one
    assert _portals(page_two)[0][1] == "Massendorf 0050"
    searched, found = _home(client, "/?q=dorf+0777")
    assert searched == one
    assert [name for _link, name in _portals(found)] == ["Massendorf 0777"]


def test_a_search_that_finds_no_portal_says_so(client_for, db):
    html = client_for("localhost").get("/?q=Atlantis", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Kein Portal passt zu „Atlantis“." in html
    assert _portals(html) == []


def _list(capsys) -> tuple[int, list[dict]]:
    from portalwerk.platform import commands

    capsys.readouterr()
    with CaptureQueriesContext(connection) as queries:
        commands.dispatch(build_parser().parse_args(["tenants", "list", "--json"]))
    return len(queries), json.loads(capsys.readouterr().out)


def test_tenants_list_costs_the_same_for_1_and_1000_tenants(capsys, db):
    Tenant.objects.filter(slug__in=["alpha", "beta"]).delete()  # rows only; rolled back
    one, rows = _list(capsys)
    assert [r["slug"] for r in rows] == ["testland"]
    _add_portals(999)
    thousand, rows = _list(capsys)
    assert thousand == one, (one, thousand)
    assert len(rows) == 1000
    row = next(r for r in rows if r["slug"] == "massendorf-0500")
    assert row["urls"] == [
        "http://massendorf-0500.localhost/",
        "http://portal.massendorf-0500.example/",
    ]
