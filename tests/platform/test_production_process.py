"""The platform as production runs it: gunicorn with the one settings module, DEBUG off, https
behind a proxy (X-Forwarded-Proto), on a PostgreSQL cluster of its own so that stopping it does
not touch the rest of the suite. What a visitor's browser receives: cookies under the `__Host-`
prefix, a Content-Security-Policy, and a translated 503 page while the database is down."""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg
import pytest

from portalwerk.platform import embedded_db, env
from tests.components import free_port

CLI = str(Path(sys.executable).with_name("portalwerk"))
ROOT = Path(__file__).resolve().parents[2]
OPERATOR = "operator@prod.example"
PASSWORD = "Prod-Passwort-2026!"


def _reset(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for (schema,) in conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
            "AND nspname NOT IN ('information_schema')"
        ).fetchall():
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn on a migrated cluster with one operator; yields (port, cluster folder)."""
    data_dir = env.home() / "prodlike-pg"
    url = embedded_db.ensure_running(data_dir, fast_unsafe=True).url()
    _reset(url)
    home = tmp_path_factory.mktemp("prodlike-home")
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PORTALWERK_", "DJANGO_", "STRIPE_"))
    }
    environment.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="portalwerk.platform.settings",
        PORTALWERK_SECRET_KEY="prod-like-" + "k" * 50,
        PORTALWERK_HOME=str(home),
        PORTALWERK_SCHEME="https",
        PORTALWERK_BASE_DOMAIN="localhost",
        PYTHONPATH=str(ROOT),
    )
    for command in (["setup"], ["operator", "create", "--email", OPERATOR]):
        done = subprocess.run(
            [CLI, *command],
            env={**environment, "PORTALWERK_OPERATOR_PASSWORD": PASSWORD},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portalwerk.platform.wsgi:application"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4"]
        + ["--forwarded-allow-ips", "127.0.0.1"],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_serving(port)
        yield port, data_dir
    finally:
        process.terminate()
        process.wait(30)
        embedded_db.stop(data_dir)


def _wait_until_serving(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            get(port, "/")
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("gunicorn did not start serving")


class Answer:
    def __init__(self, response: http.client.HTTPResponse):
        self.status = response.status
        self.headers = response.headers
        self.text = response.read().decode("utf-8", "replace")
        self.cookies = response.headers.get_all("Set-Cookie") or []


def request(port: int, method: str, path: str, body: str = "", **headers: str) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            method,
            path,
            body=body.encode() or None,
            headers={"Host": "localhost", "X-Forwarded-Proto": "https", **headers},
        )
        return Answer(connection.getresponse())
    finally:
        connection.close()


def get(port: int, path: str, **headers: str) -> Answer:
    return request(port, "GET", path, **headers)


def cookie(answer: Answer, name: str) -> str:
    """The Set-Cookie line for `name`, or ""."""
    return next((line for line in answer.cookies if line.startswith(name + "=")), "")


def jar(*answers: Answer) -> str:
    values = {}
    for answer in answers:
        for line in answer.cookies:
            parsed = SimpleCookie()
            parsed.load(line)
            values.update({key: morsel.value for key, morsel in parsed.items()})
    return "; ".join(f"{key}={value}" for key, value in values.items())


def _assert_host_only(line: str) -> None:
    attributes = [part.strip().lower() for part in line.split(";")[1:]]
    assert "secure" in attributes and "path=/" in attributes, line
    assert not any(part.startswith("domain") for part in attributes), line


def test_over_https_every_cookie_carries_the_host_prefix(server):
    port, _data_dir = server
    # given the sign-in page over https
    page = get(port, "/accounts/sign-in/")
    assert page.status == 200
    csrf_line = cookie(page, "__Host-csrftoken")
    assert csrf_line, page.cookies
    _assert_host_only(csrf_line)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    form = {"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://localhost"}
    # when the operator signs in
    signed_in = request(
        port,
        "POST",
        "/accounts/sign-in/",
        f"email={OPERATOR}&password={PASSWORD}&csrfmiddlewaretoken={token}",
        Cookie=jar(page),
        **form,
    )
    # then the session cookie is a __Host- cookie too, and no cookie has its plain name
    assert signed_in.status == 302, signed_in.text[:2000]
    session_line = cookie(signed_in, "__Host-sessionid")
    assert session_line and "httponly" in session_line.lower()
    _assert_host_only(session_line)
    # and so is the language cookie the language switch sets (signing in rotated the CSRF
    # secret; its unmasked value is a valid token)
    token = SimpleCookie(cookie(signed_in, "__Host-csrftoken"))["__Host-csrftoken"].value
    switched = request(
        port,
        "POST",
        "/i18n/setlang/",
        f"language=en&next=/&csrfmiddlewaretoken={token}",
        Cookie=jar(page, signed_in),
        **form,
    )
    assert switched.status == 302
    language_line = cookie(switched, "__Host-django_language")
    assert language_line.startswith("__Host-django_language=en")
    _assert_host_only(language_line)
    every = page.cookies + signed_in.cookies + switched.cookies
    assert all(line.startswith("__Host-") for line in every), every
    # and the signed-in session works with the prefixed cookie
    home = get(port, "/admin/", Cookie=jar(page, signed_in, switched))
    assert home.status == 200 and OPERATOR in home.text


def test_a_database_outage_is_a_translated_503_page_and_service_resumes(server):
    port, data_dir = server
    assert get(port, "/").status == 200
    # when PostgreSQL stops
    embedded_db.stop(data_dir)
    try:
        german = get(port, "/", **{"Accept-Language": "de"})
        english = get(port, "/", **{"Accept-Language": "en"})
        # a host not yet in the routing cache fails in the tenant middleware, before any view
        routing = get(port, "/", Host="gemeinde.localhost")
    finally:
        embedded_db.ensure_running(data_dir, fast_unsafe=True)
    # then each page answers 503 with a page in the visitor's language, and says when to retry
    assert german.status == 503, german.text[:500]
    assert german.headers["Content-Type"].startswith("text/html")
    assert german.headers["Retry-After"] == "30"
    assert '<html lang="de">' in german.text and "Vorübergehend nicht verfügbar" in german.text
    assert "Server Error" not in german.text
    assert english.status == 503
    assert '<html lang="en">' in english.text and "Temporarily unavailable" in english.text
    assert routing.status == 503 and "Vorübergehend nicht verfügbar" in routing.text
    # and once PostgreSQL is back, the same pages work again without a restart
    deadline = time.monotonic() + 30
    while get(port, "/").status != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert get(port, "/").status == 200
    assert get(port, "/accounts/sign-in/").status == 200


def test_probes_by_pod_ip_through_a_database_outage(server):
    port, data_dir = server
    by_ip = {"Host": "10.42.0.17:8000"}
    # given the production process, asked by pod IP (no tenant has that host)
    assert get(port, "/healthz", **by_ip).status == 200
    ready = get(port, "/readyz?check=database&check=migrations", **by_ip)
    assert ready.status == 200, ready.text
    # when PostgreSQL stops
    embedded_db.stop(data_dir)
    try:
        alive = get(port, "/healthz", **by_ip)
        not_ready = get(port, "/readyz", **by_ip)
    finally:
        embedded_db.ensure_running(data_dir, fast_unsafe=True)
    # then the process is still alive (restarting it would not help), but not ready, and each
    # check says the database did not answer, without the database's address or credentials
    assert alive.status == 200
    assert not_ready.status == 503
    assert not_ready.headers["Content-Type"] == "application/json"
    body = json.loads(not_ready.text)
    assert body["status"] == "not ready"
    assert {check["status"] for check in body["checks"].values()} == {"failing"}
    assert body["checks"]["database"]["reason"].startswith("the database did not answer")
    url = embedded_db.ensure_running(data_dir, fast_unsafe=True).url()
    for secret in (url, str(data_dir), "postgres", "password", "prod-like-"):
        assert secret not in not_ready.text, secret
