"""What one step measures: a no-op `tenants migrate`, latencies through a real server, the web
worker's and a PostgreSQL backend's memory after many tenants, and the catalogue's size."""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from .grow import SEARCH, SEARCH_FINDS, SERVICE

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 3
GRAPHQL = (
    "{ services(first: 10) { totalCount edges { node { id name summary url "
    "office { name } categories { name } } } } }"
)


def migrate_noop_s() -> float:
    """Wall time of `portalwerk tenants migrate` as an operator runs it, in a process of its own,
    when nothing is behind (the run migrated everything before)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "portalwerk.platform.cli", "tenants", "migrate"],
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"tenants migrate failed: {(done.stderr or done.stdout)[-2000:]}")
    return elapsed


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn as `make demo` runs it (gthread), on loopback, with `workers` processes."""

    def __init__(self, workers: int = 2, threads: int = 8) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portalwerk.platform.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--worker-class",
                "gthread",
                "--no-control-socket",
                "--chdir",
                str(ROOT),
            ],
            cwd=ROOT,
            env={**os.environ, "PORTALWERK_LOG_LEVEL": "WARNING"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn ended: {self.process.stderr.read().decode()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not start within 60 s")

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def rss_mb(pid: int) -> dict[str, float]:
    """Resident memory of a process (VmRSS) and its private part (RssAnon), in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _sep, value = line.partition(":")
        if name in ("VmRSS", "RssAnon"):
            fields[name] = int(value.split()[0]) / 1024
    return fields


def _request(conn, kind: str, host: str, unique: str) -> http.client.HTTPResponse:
    headers = {"Host": host, "Accept-Language": "de"}
    if kind == "service_page":
        conn.request("GET", f"/services/{SERVICE}/?v={unique}", headers=headers)
    elif kind == "search":
        conn.request("GET", f"/search/?q={SEARCH}&v={unique}", headers=headers)
    else:
        body = json.dumps({"query": GRAPHQL})
        conn.request(
            "POST", "/graphql/", body=body, headers={**headers, "Content-Type": "application/json"}
        )
    return conn.getresponse()


def _check(kind: str, response: http.client.HTTPResponse, body: bytes) -> str | None:
    if response.status != 200:
        return f"{kind}: HTTP {response.status}"
    if kind == "graphql" and b'"errors"' in body:
        return f"graphql: {body[:300]!r}"
    if kind == "search" and f"/services/{SEARCH_FINDS}/".encode() not in body:
        return f"search: the result does not link {SEARCH_FINDS}"
    return None


def fetch(port: int, kind: str, hosts: list[str], requests: int, clients: int) -> list[float]:
    """Latencies (s) of `requests` uncached requests of `kind`, sent by `clients` keep-alive
    connections at once, cycling through `hosts`. Any failed request stops the run."""
    counter = iter(range(requests))
    lock = threading.Lock()
    times: list[float] = []
    failures: list[str] = []
    tag = f"{time.time_ns()}"

    def loop() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                number = next(counter, None)
            if number is None:
                break
            host = hosts[number % len(hosts)]
            start = time.perf_counter()
            response = _request(conn, kind, host, f"{tag}-{number}")
            body = response.read()
            elapsed = time.perf_counter() - start
            with lock:
                times.append(elapsed)
                problem = _check(kind, response, body)
                if problem:
                    failures.append(f"{host} {problem}")
        conn.close()

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} of {requests} requests failed, e.g. {failures[:3]}")
    return times


def percentile_ms(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


def latencies(
    one_host: str, spread_hosts: list[str], *, requests: int, clients: int
) -> dict[str, float]:
    """p50/p95 (ms) of each kind, all traffic on one tenant and spread over `spread_hosts`.
    Every host is visited once beforehand, so that the figures hold no first-visit costs
    (routing cache, connection set-up) but every page is rendered, not cached."""
    figures = {}
    with Server() as server:
        for kind in ("service_page", "search", "graphql"):
            fetch(server.port, kind, spread_hosts, len(spread_hosts), clients)
        # in interleaved rounds, so that a machine shared with other work drifts into every
        # figure alike; each figure's percentiles are over all its rounds' requests
        pooled: dict[str, list[float]] = {}
        for _round in range(ROUNDS):
            for kind in ("service_page", "search", "graphql"):
                for traffic, hosts in (("one", [one_host]), ("spread", spread_hosts)):
                    times = fetch(server.port, kind, hosts, max(1, requests // ROUNDS), clients)
                    pooled.setdefault(f"{kind}_{traffic}", []).extend(times)
    for name, times in pooled.items():
        figures[f"{name}_p50_ms"] = percentile_ms(times, 0.5)
        figures[f"{name}_p95_ms"] = percentile_ms(times, 0.95)
    return figures


def worker_memory(hosts: list[str]) -> dict[str, float]:
    """RSS of a single web worker after a warm-up on one tenant, and after it served a service
    page and a search of every one of `hosts`."""
    with Server(workers=1) as server:
        (worker,) = server.workers()
        fetch(server.port, "service_page", hosts[:1], 20, 1)
        before = rss_mb(worker)
        fetch(server.port, "service_page", hosts, len(hosts), 4)
        fetch(server.port, "search", hosts, len(hosts), 4)
        after = rss_mb(worker)
    return {
        "worker_rss_one_tenant_mb": before["VmRSS"],
        "worker_rss_mb": after["VmRSS"],
        "worker_rss_anon_mb": after["RssAnon"],
        "worker_tenants_served": len(hosts),
    }


_CACHE_CONTEXT_SQL = """
SELECT coalesce(sum(c.total_bytes), 0)
FROM pg_backend_memory_contexts c,
     (SELECT path[level] AS id, level FROM pg_backend_memory_contexts
      WHERE name = 'CacheMemoryContext') r
WHERE c.path[r.level] = r.id
"""


def backend_memory(hosts: list[str]) -> dict[str, float]:
    """Memory of one PostgreSQL backend after the platform's own service page and search of
    every one of `hosts`, rendered in this process (Django's whole request path) on one
    connection that is not recycled in between."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        connection.close()
        for host in hosts:
            client = Client(HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="de")
            for path in (f"/services/{SERVICE}/?v=backend", f"/search/?q={SEARCH}&v=backend"):
                response = client.get(path)
                if response.status_code != 200:
                    raise RuntimeError(f"{host}{path}: HTTP {response.status_code}")
        with connection.cursor() as cursor:
            cursor.execute("SELECT sum(total_bytes) FROM pg_backend_memory_contexts")
            total = cursor.fetchone()[0]
            cursor.execute(_CACHE_CONTEXT_SQL)
            cache = cursor.fetchone()[0]
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        memory = rss_mb(pid)
    finally:
        connection.close()
        connection.set_schema_to_public()  # the wrapper remembers the last tenant's schema
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return {
        "backend_contexts_mb": float(total) / 1e6,
        "backend_cache_mb": float(cache) / 1e6,
        "backend_rss_anon_mb": memory["RssAnon"],
        "backend_schemas_touched": len(hosts),
    }


def catalogue() -> dict[str, float]:
    """Rows of pg_class, size of the system catalogues, size of the database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM pg_class), "
            "(SELECT count(*) FROM pg_attribute), "
            "(SELECT sum(pg_total_relation_size(oid)) FROM pg_class "
            " WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'r'), "
            "pg_database_size(current_database())"
        )
        classes, attributes, catalogue_bytes, database_bytes = cursor.fetchone()
    return {
        "pg_class_rows": classes,
        "pg_attribute_rows": attributes,
        "catalogue_mb": float(catalogue_bytes) / 1e6,
        "database_mb": float(database_bytes) / 1e6,
    }


def summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {
        "create_mean_ms": statistics.mean(values) * 1000,
        "create_p95_ms": percentile_ms(values, 0.95),
        "create_batch": len(values),
    }
