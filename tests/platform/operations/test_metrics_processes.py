"""Metrics with several web processes, as production runs them (gunicorn --workers N): with
PROMETHEUS_MULTIPROC_DIR and `operations.gunicorn`, a scrape answered by any process counts the
requests every process served. Proven with a real gunicorn of two single-threaded workers on the
test database, and health probes by IP on the same server."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection
from prometheus_client.parser import text_string_to_metric_families

from tests.components import free_port

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "multi-process-scrape-token-0123456789"
REQUESTS = 24


def _database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgresql://{db['USER']}:{db['PASSWORD']}@/{db['NAME']}"
        f"?host={db['HOST']}&port={db['PORT'] or 5432}"
    )


@pytest.fixture
def server(live_db, tmp_path):
    port = free_port()
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_999999.db").write_bytes(b"left over from an earlier run")
    environment = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "PORTALWERK_METRICS_TOKEN": TOKEN,
        "PORTALWERK_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portalwerk.platform.wsgi:application",
         "-c", "python:portalwerk.platform.operations.gunicorn",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "1"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 90
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"gunicorn did not start: {process.stderr.read()}") from None
            time.sleep(0.3)
    yield port, folder
    process.terminate()
    process.wait(30)


def get(port: int, path: str, host: str, **headers) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Host": host, **headers})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def home_pages_counted(text: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "portalwerk_http_request_duration_seconds_count"
        and sample.labels["view"] == "catalog:home"
    )


def test_a_scrape_of_any_process_counts_every_processes_requests(server):
    port, folder = server
    # the probes answer by IP on the real server too
    assert get(port, "/healthz", "10.42.0.17")[0] == 200
    assert get(port, "/readyz?check=database&check=migrations", "10.42.0.17")[0] == 200
    # when two single-threaded workers serve requests at once
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _i: get(port, "/", "alpha.localhost")[0], range(REQUESTS)))
    assert statuses == [200] * REQUESTS
    # then both processes kept values (one file each), the earlier run's file is gone
    pids = {path.stem.rsplit("_", 1)[1] for path in folder.glob("histogram_*.db")}
    assert len(pids) == 2, pids
    assert not (folder / "counter_999999.db").exists()
    # and every scrape, whichever process answers it, counts all requests
    for _ in range(6):
        status, text = get(port, "/metrics", "10.42.0.17", Authorization=f"Bearer {TOKEN}")
        assert status == 200
        assert home_pages_counted(text) == REQUESTS
