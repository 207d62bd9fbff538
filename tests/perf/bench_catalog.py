"""Citizen portal: requests per second of a service page and of a search, against a bare Django
view on the same server stack (gunicorn as `make demo` runs it, same middleware), in one run.

Target (issue 3): the service page at half the bare view's rate or better
(`portal_service_page_ratio` >= 0.5). Anonymous visitors get pages from the page cache
(portalwerk.platform.catalog.pagecache); the `*_uncached_*` figures give every request a query
string of its own, so they measure rendering a page from the database.
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .registry import Run, bench

ROOT = Path(__file__).resolve().parents[2]
DISTRICT, MEMBER = "portal-kreis", "portal-stadt"
CLIENT_PROCESSES = 2
CLIENT_THREADS = 4
ROUNDS = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _prepare() -> str:
    """A district and its member with the demo catalogue; returns the member's host."""
    from portalwerk.platform.authz.actors import system
    from portalwerk.platform.catalog import demo
    from portalwerk.tenants import services
    from portalwerk.tenants.models import Tenant

    tenants = []
    for data in (
        services.NewTenant(name="Kreis Benchland", slug=DISTRICT, kind="district"),
        services.NewTenant(
            name="Stadt Benchstadt", slug=MEMBER, kind="municipality", parent_slug=DISTRICT
        ),
    ):
        tenant = Tenant.objects.filter(slug=data.slug).first()
        tenants.append(tenant or services.create_tenant(actor=system("bench"), data=data))
    demo.seed(tenants)
    return services.tenant_host(MEMBER)


def _start_server(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.perf.catalog_settings",
        "PORTALWERK_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portalwerk.platform.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "8",
            "--worker-class",
            "gthread",
            "--chdir",
            str(ROOT),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn ended: {server.stderr.read().decode()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start within 30 s")


def _client(args: tuple[int, str, str, float]) -> tuple[int, int]:
    """One client process: CLIENT_THREADS keep-alive connections hammering `path` for
    `seconds`; returns (successful requests, failed requests)."""
    import threading

    port, host, path, seconds = args
    counts = [0, 0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def loop():
        ok = failed = 0
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop_at:
            try:
                target = path.replace("{n}", f"{os.getpid()}-{threading.get_ident()}-{ok}")
                conn.request("GET", target, headers={"Host": host, "Accept-Language": "de"})
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    ok += 1
                else:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.close()
        with lock:
            counts[0] += ok
            counts[1] += failed

    threads = [threading.Thread(target=loop) for _ in range(CLIENT_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts[0], counts[1]


def _rps(run: Run, port: int, host: str, path: str, seconds: float) -> float:
    with ProcessPoolExecutor(CLIENT_PROCESSES) as pool:
        list(pool.map(_client, [(port, host, path, min(0.5, seconds))] * CLIENT_PROCESSES))
        start = time.perf_counter()
        results = list(pool.map(_client, [(port, host, path, seconds)] * CLIENT_PROCESSES))
        elapsed = time.perf_counter() - start
    ok = sum(r[0] for r in results)
    failed = sum(r[1] for r in results)
    if failed:
        run.log(f"  {path}: {failed} requests failed")
    return ok / elapsed


@bench("portal")
def portal(run: Run) -> None:
    """Service page and search requests per second, as ratios of a bare Django view's."""
    from django.db import connections

    host = _prepare()
    connections.close_all()
    port = _free_port()
    seconds = 3.0 if run.quick else 15.0
    server = _start_server(port)
    paths = {
        "bare_django_view": "/bench/bare/",
        "portal_service_page": "/services/wohnsitz-anmelden/",
        "portal_search": "/search/?q=Hundesteuer",
        # a query string of its own per request misses the page cache every time
        "portal_service_page_uncached": "/services/wohnsitz-anmelden/?v={n}",
        "portal_search_uncached": "/search/?q=Hundesteuer&v={n}",
        # a search term the district's service has, from the member's portal (both schemas)
        "portal_search_term_uncached": "/search/?q=Flurkarte&v={n}",
    }
    rates: dict[str, list[float]] = {name: [] for name in paths}
    try:
        # Interleaved rounds, medians: a machine shared with other work drifts less into ratios.
        for _ in range(ROUNDS):
            for name, path in paths.items():
                rates[name].append(_rps(run, port, host, path, seconds / ROUNDS))
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    median = {name: statistics.median(values) for name, values in rates.items()}
    bare = median["bare_django_view"]
    for name, value in median.items():
        run.figure(f"{name}_rps", value)
    for name, value in median.items():
        if name != "bare_django_view":
            run.figure(f"{name}_ratio", value / bare if bare else 0.0)
