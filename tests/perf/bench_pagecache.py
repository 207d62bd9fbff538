"""The anonymous page cache at 2,000 distinct pages, served by two gunicorn worker processes
that share it (issue 17: with 300 pages per process, 400 distinct pages gave 0 hits).

Two passes over the same 2,000 pages (a service page with a query string of its own each, so
a key of its own each) in a shuffled order, from CLIENT_THREADS keep-alive connections: the
first renders and stores them, the second should find them, whichever worker rendered them.

- `pagecache_2000_hit_rate`: share of the second pass served from the cache. Counted in the
  cache table itself: a miss writes its page again, so a row whose version (`xmin`) changed
  between the passes is a miss;
- `pagecache_2000_miss_p50_ms`, `_miss_p95_ms`: latency of the first pass;
- `pagecache_2000_hit_p50_ms`, `_hit_p95_ms`: latency of the second pass;
- `pagecache_bare_p50_ms`: a bare Django view on the same server (the floor);
- `pagecache_2000_table_mb`: the table's size with the 2,000 pages, for sizing
  PORTALWERK_PAGE_CACHE_ENTRIES.

The server runs with PORTALWERK_PAGE_CACHE_SECONDS=900 so that the passes measure the cache's
capacity and sharing, not its expiry.
"""

from __future__ import annotations

import http.client
import os
import random
import statistics
import subprocess
import threading
import time

from .bench_catalog import _free_port, _prepare, _start_server
from .registry import Run, bench

PAGES = 2000
CLIENT_THREADS = 8


def _fetch_all(port: int, host: str, paths: list[str]) -> list[float]:
    """Latencies (s) of GETting every path once, over CLIENT_THREADS connections."""
    todo = list(paths)
    lock = threading.Lock()
    times: list[float] = []
    failures: list[str] = []

    def loop():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if not todo:
                    break
                path = todo.pop()
            start = time.perf_counter()
            conn.request("GET", path, headers={"Host": host, "Accept-Language": "de"})
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - start
            with lock:
                times.append(elapsed)
                if response.status != 200:
                    failures.append(f"{path}: {response.status}")
        conn.close()

    threads = [threading.Thread(target=loop) for _ in range(CLIENT_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} requests failed, e.g. {failures[:3]}")
    return times


def _versions() -> dict[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, xmin::text FROM portalwerk_page_cache")
        return dict(cursor.fetchall())


def _p(values: list[float], share: float) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * share))] * 1000


@bench("pagecache")
def pagecache(run: Run) -> None:
    """Hit rate and latency of the shared page cache at 2,000 distinct pages, two workers."""
    from django.db import connection, connections

    from portalwerk.platform.catalog import pagecache as cache_module

    connection.set_schema_to_public()  # an earlier bench's requests may have left a tenant's
    host = _prepare()
    pages = 200 if run.quick else PAGES
    paths = [f"/services/wohnsitz-anmelden/?p={n}" for n in range(pages)]
    cache_module.clear()
    connections.close_all()
    port = _free_port()
    saved = os.environ.get("PORTALWERK_PAGE_CACHE_SECONDS")
    os.environ["PORTALWERK_PAGE_CACHE_SECONDS"] = "900"
    try:
        server = _start_server(port)
    finally:
        if saved is None:
            os.environ.pop("PORTALWERK_PAGE_CACHE_SECONDS")
        else:
            os.environ["PORTALWERK_PAGE_CACHE_SECONDS"] = saved
    try:
        bare = _fetch_all(port, host, ["/bench/bare/"] * 400)
        shuffled = random.Random(17).sample(paths, len(paths))
        misses = _fetch_all(port, host, shuffled)
        before = _versions()
        hits = _fetch_all(port, host, random.Random(18).sample(paths, len(paths)))
        after = _versions()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('portalwerk_page_cache')")
            size = cursor.fetchone()[0]
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    page_keys = [key for key in before if ":catalog:page:" in key]
    rewritten = sum(1 for key in page_keys if after.get(key) != before[key])
    missing = len(paths) - len(page_keys)
    run.figure(f"pagecache_{pages}_stored", len(page_keys))
    run.figure(f"pagecache_{pages}_hit_rate", 1 - (rewritten + missing) / len(paths))
    run.figure(f"pagecache_{pages}_miss_p50_ms", _p(misses, 0.5))
    run.figure(f"pagecache_{pages}_miss_p95_ms", _p(misses, 0.95))
    run.figure(f"pagecache_{pages}_hit_p50_ms", _p(hits, 0.5))
    run.figure(f"pagecache_{pages}_hit_p95_ms", _p(hits, 0.95))
    run.figure("pagecache_bare_p50_ms", statistics.median(bare) * 1000)
    run.figure(f"pagecache_{pages}_table_mb", size / 1e6)
