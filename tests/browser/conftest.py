"""Browser tests: Debian's chromium driven by Playwright, pages served by a real WSGI server.
Every browser test uses these fixtures: `portal_server` (or `live_url`, tenant A's portal on it),
`chromium`, `new_page` / `browser_page`, `axe_violations` / `assert_accessible`; keyboard-only
helpers are in `tests.browser.keyboard`.

Without chromium (or Playwright) the tests skip and say why, loudly; with PORTALWERK_REQUIRE_ALL=1
(CI) that is a failure instead. `make test` installs chromium with apt-get when it runs as root.

The server is a plain threaded WSGI server, not pytest-django's `live_server`: that one forces a
transactional database, which flushes every table afterwards, including the session-wide test
tenants. Test data for the browser is committed by the suites' own fixtures and removed by them.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

CHROMIUM = os.environ.get("PORTALWERK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP *.localhost 127.0.0.1",
]
MEMBER = "alpha.localhost"  # tenant A, the member municipality of the test district


def _unavailable() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"no chromium at {CHROMIUM} (install Debian's package: apt-get install chromium)"
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"Playwright or axe-playwright-python missing ({exc}); run `make install`"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _unavailable()
    if reason is None:
        return
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if not browser_items:
        return
    if os.environ.get("PORTALWERK_REQUIRE_ALL") == "1":
        return  # pytest_runtest_setup fails each of them with the reason
    config.issue_config_time_warning(
        pytest.PytestWarning(f"SKIPPING {len(browser_items)} browser tests: {reason}"), 2
    )
    skip = pytest.mark.skip(reason=f"BROWSER TESTS SKIPPED: {reason}")
    for item in browser_items:
        item.add_marker(skip)


def pytest_runtest_setup(item):
    if item.get_closest_marker("browser") and os.environ.get("PORTALWERK_REQUIRE_ALL") == "1":
        reason = _unavailable()
        if reason:
            pytest.fail(f"PORTALWERK_REQUIRE_ALL=1 but the browser tests cannot run: {reason}")


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@dataclass
class PortalServer:
    port: int

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"


@pytest.fixture(scope="module")
def portal_server(django_db_setup, django_db_blocker) -> Iterator[PortalServer]:
    """The whole WSGI application (tenant routing, WhiteNoise static files) on 127.0.0.1."""
    httpd = ThreadedWSGIServer(("127.0.0.1", 0), _QuietHandler, allow_reuse_address=False)
    # Request threads are joined on close (after the browser closed its keep-alive sockets), so
    # their database connections are closed before the test database is dropped.
    httpd.daemon_threads = False
    httpd.set_app(WSGIHandler())
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    with django_db_blocker.unblock():  # the server's request threads use the test database
        thread.start()
        try:
            yield PortalServer(port=httpd.server_address[1])
        finally:
            httpd.shutdown()
            httpd.server_close()
            thread.join(5)
            _close_stray_connections()


@pytest.fixture
def live_url(portal_server, live_db, settings, tmp_path) -> str:
    """Tenant A's portal on the live server, without a trailing slash, for tests whose own
    fixtures commit their data (`live_db`) and remove it; uploads go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return portal_server.url(MEMBER, "")


def _close_stray_connections() -> None:
    """Playwright's greenlets give Django's per-context connection handler more than one
    context in this thread; a connection opened in one that is gone cannot be closed through
    Django any more. End those sessions so the test database can be dropped at the end."""
    from django.db import connection, connections

    connections.close_all()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connections.close_all()


@pytest.fixture(scope="module")
def chromium(portal_server):
    """Playwright's sync API keeps an asyncio loop running in this thread, which makes Django
    refuse database calls here ("async context"); they are safe (nothing else runs in the
    loop), so that check is off while a browser module runs. The browser closes before the
    server does (which waits for the browser's keep-alive connections)."""
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(chromium):
    """`new_page(**context_options)`, e.g. `new_page(locale="de-DE")`: a page in a fresh browser
    context (no cookies) at desktop width; every context is closed after the test."""
    contexts = []

    def open_page(**options):
        context = chromium.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def browser_page(new_page):
    """A fresh page at desktop width; tests resize for reflow checks."""
    return new_page()


@pytest.fixture(scope="session")
def axe_violations():
    """`axe_violations(page)`: what axe-core finds on the current page, as (count, readable
    report), with every rule it runs by default: WCAG 2.0/2.1 A and AA and best practices."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def run(page) -> tuple[int, str]:
        results = axe.run(page, options={"resultTypes": ["violations"]})
        return results.violations_count, results.generate_report()

    return run


@pytest.fixture(scope="session")
def assert_accessible(axe_violations):
    """`assert_accessible(page)`: fails, with axe-core's report, on any violation."""

    def check(page) -> None:
        count, report = axe_violations(page)
        assert count == 0, f"{page.url}\n{report}"

    return check
