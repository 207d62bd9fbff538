"""The console's tenant list: filters, search in the database, pages, and the same number of
statements for 1 tenant as for 1,000 (rows only, as tests/tenants/test_tenant_lists_at_scale)."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portalwerk.tenants.models import Domain, Tenant, TenantKind, TenantStatus


def _add_tenants(count: int) -> None:
    tenants = Tenant.objects.bulk_create(
        Tenant(
            schema_name=f"bulk_{n:04d}",
            name=f"Massendorf {n:04d}",
            slug=f"massendorf-{n:04d}",
            kind=TenantKind.ASSOCIATION if n % 10 == 3 else TenantKind.MUNICIPALITY,
            status=TenantStatus.SUSPENDED if n % 2 else TenantStatus.ACTIVE,
        )
        for n in range(count)
    )
    Domain.objects.bulk_create(
        [Domain(tenant=t, domain=f"{t.slug}.localhost", is_primary=True) for t in tenants]
        + [Domain(tenant=t, domain=f"portal-{t.slug}.example", is_primary=False) for t in tenants]
    )


def _names(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<td><a href="/console/tenants/[^"]+/">([^<]+)</a>', body)


def _get(client, path: str, status: int = 200, lang: str = "de") -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == status, response.content.decode()[:3000]
    return len(queries), response.content.decode()


def test_the_list_costs_the_same_for_1_and_1000_tenants(console, db):
    Tenant.objects.filter(slug__in=["alpha", "beta"]).delete()  # rows only; rolled back
    _get(console, "/console/")  # warm: routing, session, content types
    one, html = _get(console, "/console/")
    assert _names(html) == ["Kreis Testland"]
    assert "1 Mandant" in html
    _add_tenants(1000)
    thousand, html = _get(console, "/console/")
    assert thousand == one, (one, thousand)
    assert len(_names(html)) == 50
    assert "1001 Mandanten" in html and "Seite 1 von 21" in html
    # filtered, searched and on a later page: still the same number of statements
    filtered, html = _get(console, "/console/?status=suspended&kind=association&page=2")
    assert filtered == one
    # every tenth is an association (n ending in 3), and those are all suspended (odd n)
    assert "100 Mandanten, Seite 2" in html
    assert _names(html)[0] == "Massendorf 0503" and len(_names(html)) == 50
    searched, html = _get(console, "/console/?q=portal-massendorf-0777")
    assert searched == one
    assert _names(html) == ["Massendorf 0777"]


def test_the_list_filters_by_status_and_kind(console, tenant_a, tenant_b, district):
    Tenant.objects.filter(pk=tenant_b.pk).update(status=TenantStatus.SUSPENDED)
    _count, html = _get(console, "/console/?status=suspended")
    assert _names(html) == ["Gemeinde Beta"]
    _count, html = _get(console, "/console/?kind=district")
    assert _names(html) == ["Kreis Testland"]
    _count, html = _get(console, "/console/?q=ALPHA")
    assert _names(html) == ["Stadt Alpha"]


def test_a_filter_value_outside_its_choices_is_refused_at_its_field(console, db):
    _count, html = _get(console, "/console/?status=deleted&kind=platform", status=400, lang="en")
    assert "There is a problem" in html
    assert re.search(r'id="id_status_error">[^<]*not one of the available choices', html)
    assert re.search(r'id="id_kind_error">[^<]*not one of the available choices', html)
    assert "<tbody>" not in html  # no list under wrong filters
    _count, html = _get(console, "/console/?q=" + "x" * 101, status=400, lang="de")
    assert 'id="id_q_error"' in html and "höchstens 100 Zeichen" in html
    _count, html = _get(console, "/console/?page=zwei", status=400, lang="en")
    assert "The page must be a number from 1 to 100000." in html


def test_a_nul_character_in_the_filters_is_a_400_not_a_500(console, db):
    response = console.get("/console/?q=a%00b")
    assert response.status_code == 400
