"""Through PgBouncer, a request for one tenant never runs in another tenant's schema, under
concurrent load with fewer server connections than web threads (session pooling, the mode
docs/operators/deploying.md calls safe). And why transaction pooling is not: with Debian's
PgBouncer 1.18 a `search_path` set by one client is what the next client of that server
connection gets."""

from __future__ import annotations

import http.client
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from portalwerk.platform import embedded_db, env
from tests.helpers import installation
from tests.helpers.installation import create_tenant, discard, free_port, portalwerk
from tests.helpers.pgbouncer import PgBouncer, require

pytestmark = pytest.mark.integration
WEB_THREADS = 8
POOL_SIZE = 3  # fewer server connections than threads: clients take turns on them
SERVICE = """
from django_tenants.utils import schema_context
from portalwerk.platform.catalog.models import Service
for slug in ("erste", "zweite"):
    with schema_context(f"t_{slug}"):
        Service.objects.create(slug=f"nur-{slug}", name_de=f"Nur bei {slug}", is_published=True)
print("ok")
"""


@pytest.fixture(scope="module")
def cluster():
    require()
    data_dir = env.home() / "pooled-pg"
    discard(data_dir)
    server = embedded_db.ensure_running(data_dir, fast_unsafe=True)
    url = server.url()
    portalwerk(url, "setup")
    create_tenant(url, "erste", "Erste Gemeinde")
    create_tenant(url, "zweite", "Zweite Gemeinde")
    assert installation.python(url, SERVICE) == "ok"
    yield server
    discard(data_dir)


def get(port: int, host: str, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Host": host, "Accept-Language": "de"})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def wait_until_serving(port: int) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            get(port, "erste.localhost", "/")
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("gunicorn did not start serving")


def test_through_pgbouncer_in_session_mode_no_request_runs_in_another_tenants_schema(cluster):
    bouncer = PgBouncer(cluster, env.home() / "pooled-bouncer", mode="session", pool_size=POOL_SIZE)
    bouncer.start()
    port = free_port()
    environment = {
        **installation.environment(bouncer.url(), "pooled"),
        "PORTALWERK_DB_CONN_MAX_AGE": "0",
    }
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portalwerk.platform.wsgi:application"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", str(WEB_THREADS)],
        env=environment,
        cwd=installation.ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_serving(port)
        # each tenant asks for its own service (there: 200 with its name) and for the other's
        # (not there: 404); a request run in the wrong schema would answer the other way round
        asks = [
            (own, other)
            for _ in range(60)
            for own, other in (("erste", "zweite"), ("zweite", "erste"))
        ]

        def check(ask: tuple[str, str]) -> list[str]:
            own, other = ask
            wrong = []
            status, text = get(port, f"{own}.localhost", f"/services/nur-{own}/")
            if status != 200 or f"Nur bei {own}" not in text or f"Nur bei {other}" in text:
                wrong.append(f"{own}: own service answered {status}")
            status, _text = get(port, f"{own}.localhost", f"/services/nur-{other}/")
            if status != 404:
                wrong.append(f"{own}: {other}'s service answered {status}")
            return wrong

        with ThreadPoolExecutor(max_workers=2 * WEB_THREADS) as pool:
            wrong = [problem for problems in pool.map(check, asks) for problem in problems]
    finally:
        web.terminate()
        web.wait(30)
        bouncer.stop()

    assert wrong == [], wrong[:10]
    assert len(asks) * 2 == 240


def test_in_transaction_mode_one_clients_search_path_reaches_the_next_client(cluster):
    bouncer = PgBouncer(cluster, env.home() / "pooled-bouncer-tx", mode="transaction", pool_size=1)
    bouncer.start()
    try:
        with (
            psycopg.connect(bouncer.url(), autocommit=True, prepare_threshold=None) as first,
            psycopg.connect(bouncer.url(), autocommit=True, prepare_threshold=None) as second,
        ):
            first.execute("SET search_path TO t_erste")
            seen_by_second = second.execute("SHOW search_path").fetchone()[0]
            second.execute("SET search_path TO t_zweite")
            seen_by_first = first.execute("SHOW search_path").fetchone()[0]
    finally:
        bouncer.stop()

    assert (seen_by_second, seen_by_first) == ("t_erste", "t_zweite")
