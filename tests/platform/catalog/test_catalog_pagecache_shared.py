"""The anonymous page cache is shared by every process (issue 17: a cache of 300 pages per
process gave 0 hits at 400 distinct pages): a page one process rendered is a hit in another, a
change shows at once in both, tenants never see each other's pages, and the oldest pages make
room when it is full."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from portalwerk.platform.catalog import pagecache
from portalwerk.platform.catalog.models import Service

# one anonymous visit, by a Python process of its own on the same database
VISIT = """
import json, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
host, path = sys.argv[1:3]
with CaptureQueriesContext(connection) as queries:
    response = Client(HTTP_HOST=host).get(path, HTTP_ACCEPT_LANGUAGE="de")
print(json.dumps({
    "status": response.status_code,
    "rendered": any("catalog_service" in q["sql"] for q in queries.captured_queries),
    "html": response.content.decode(),
}))
"""


def _other_process(host: str, path: str) -> dict:
    settings = connection.settings_dict
    url = (
        f"postgresql://{settings['USER']}:{settings['PASSWORD']}@/{settings['NAME']}"
        f"?host={settings['HOST']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "portalwerk.platform.settings_test",
    }
    done = subprocess.run(
        [sys.executable, "-c", VISIT, host, path],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _this_process(client, path: str) -> dict:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="de")
    return {
        "status": response.status_code,
        "rendered": any("catalog_service" in q["sql"] for q in queries.captured_queries),
        "html": response.content.decode(),
    }


def _same_page(one: str, two: str) -> bool:
    own = r'(value|nonce)="[^"]+"'  # each response's own CSRF token and CSP nonce
    return re.sub(own, "", one) == re.sub(own, "", two)


def test_a_page_rendered_by_one_process_is_a_hit_in_another(live_db):
    from django.test import Client

    from portalwerk.tenants.models import Tenant

    tenant_b = Tenant.objects.get(slug="beta")
    host = tenant_b.domains.get(is_primary=True).domain
    path = f"/services/?probe={secrets.token_hex(4)}"
    pagecache.clear()
    # given another process rendered the page for an anonymous visitor
    first = _other_process(host, path)
    assert first["status"] == 200 and first["rendered"]
    # when a visitor of this process asks for it
    second = _this_process(Client(HTTP_HOST=host), path)
    # then it comes from the cache, unchanged
    assert second["status"] == 200
    assert not second["rendered"]
    assert _same_page(first["html"], second["html"])
    # and the other way round: a change here shows there at once
    with schema_context(tenant_b.schema_name):
        pagecache.bump()
    assert _other_process(host, path)["rendered"]
    assert not _other_process(host, path)["rendered"]


def test_tenants_never_get_each_others_pages(catalogue, client_for, tenant_a, tenant_b):
    # given alpha's page is cached
    path = "/services/"
    alpha = _this_process(client_for(tenant_a), path)
    assert "Reisepass beantragen" in alpha["html"]
    assert not _this_process(client_for(tenant_a), path)["rendered"]
    # when beta's visitor asks for the same path, it is beta's own page, rendered for beta
    beta = _this_process(client_for(tenant_b), path)
    assert beta["rendered"]
    assert "Reisepass beantragen" not in beta["html"]
    assert "Gemeinde Beta" in beta["html"]


def test_a_full_cache_makes_room_by_dropping_the_oldest_pages(client_for, tenant_b):
    # given a page cache of at most 20 pages, full of older pages
    pages = pagecache.store()
    pages.clear()
    max_entries, pages._max_entries = pages._max_entries, 20
    try:
        client = client_for(tenant_b)
        for n in range(25):
            assert client.get(f"/services/?n={n}").status_code == 200
        # then it kept its size, the newest pages are hits, the oldest were dropped
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM portalwerk_page_cache")
            assert cursor.fetchone()[0] <= 22
        assert not _this_process(client, "/services/?n=24")["rendered"]
        assert _this_process(client, "/services/?n=0")["rendered"]
    finally:
        pages._max_entries = max_entries


def test_a_catalogue_change_in_a_rolled_back_transaction_keeps_the_pages(
    catalogue, client_for, tenant_a
):
    from django.db import transaction

    client = client_for(tenant_a)
    _this_process(client, "/services/")
    try:
        with transaction.atomic(), schema_context(tenant_a.schema_name):
            Service.objects.update(is_published=False)
            pagecache.bump()
            raise RuntimeError("abandoned")
    except RuntimeError:
        pass
    assert not _this_process(client, "/services/")["rendered"]
