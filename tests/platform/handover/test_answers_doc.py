"""The snippets of docs/handover/answers.md work: each is run, as a back office would run it,
against the whole application on a real HTTP server on loopback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.db import connection
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import anonymous
from portalwerk.platform.handover.models import Report, Target
from portalwerk.platform.handover.parcels import parcel_of
from portalwerk.tenants import routing
from portalwerk.tenants.models import Domain, Tenant
from tests.helpers.forms import delete_forms_data
from tests.platform.handover.conftest import hand_over

DOC = Path(__file__).resolve().parents[3] / "docs" / "handover" / "answers.md"


def block(language: str) -> str:
    [code] = re.findall(rf"```{language}\n(.*?)```", DOC.read_text(), flags=re.S)
    return code


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server(live_db, settings, tmp_path):
    """Tenant A's portal on 127.0.0.1 (a host the machine resolves), with a handed-over
    submission; everything it made is removed afterwards."""
    settings.MEDIA_ROOT = tmp_path / "media"
    tenant = Tenant.objects.get(slug="alpha")
    Domain.objects.create(tenant=tenant, domain="127.0.0.1", is_primary=False)
    httpd = ThreadedWSGIServer(("127.0.0.1", 0), _Quiet, allow_reuse_address=False)
    httpd.daemon_threads = False
    httpd.set_app(WSGIHandler())
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        handed = hand_over(tenant, anonymous())
        yield httpd.server_address[1], handed
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
        with schema_context(tenant.schema_name):
            Report.objects.all().delete()
            delete_forms_data()
            Target.objects.all().delete()
            from portalwerk.platform.accounts.models import User

            User.objects.filter(email__startswith="forms-admin@").delete()
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM procrastinate_jobs WHERE args->>'schema_name' = %s",
                [tenant.schema_name],
            )
        Domain.objects.filter(domain="127.0.0.1").delete()
        routing.forget()
        connection.set_schema_to_public()


def _url(port, handed) -> str:
    with schema_context(handed.tenant.schema_name):
        path = urlsplit(parcel_of(handed.delivery).status_url).path
    return f"http://127.0.0.1:{port}{path}"


def test_the_python_snippet_reports_and_a_repeat_changes_nothing(server):
    port, handed = server
    namespace: dict = {}
    exec(compile(block("python"), str(DOC), "exec"), namespace)  # noqa: S102 (our own doc)
    payload = {
        "delivery": str(handed.delivery.key),
        "event_id": "doc-python-1",
        "case_number": "FI-2026-0042",
        "status": "in Bearbeitung",
    }
    status, answer = namespace["report"](_url(port, handed), handed.target.callback_secret, payload)
    assert status == 200, answer
    assert answer["report"]["case_number"] == "FI-2026-0042"
    again = namespace["report"](_url(port, handed), handed.target.callback_secret, payload)
    assert again == (200, answer)
    wrong = namespace["report"](_url(port, handed), "wrong secret", payload)
    assert wrong[0] == 401
    with schema_context(handed.tenant.schema_name):
        assert Report.objects.count() == 1


def test_the_curl_snippet_reports(server):
    port, handed = server
    body = json.dumps(
        {
            "delivery": str(handed.delivery.key),
            "event_id": "doc-curl-1",
            "status": "Bescheid erstellt",
        }
    )
    env = {
        **os.environ,
        "STATUS_URL": _url(port, handed),
        "SECRET": handed.target.callback_secret,
        "BODY": body,
    }
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block("sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["report"]["status"] == "Bescheid erstellt"
    with schema_context(handed.tenant.schema_name):
        assert Report.objects.get().status == "Bescheid erstellt"


def test_the_same_report_sent_eight_times_at_once_is_stored_once(server):
    # given a back office that retries eagerly: the same signed report on eight connections
    from concurrent.futures import ThreadPoolExecutor

    from tests.helpers.forms import jobs

    port, handed = server
    namespace: dict = {}
    exec(compile(block("python"), str(DOC), "exec"), namespace)  # noqa: S102 (our own doc)
    payload = {
        "delivery": str(handed.delivery.key),
        "event_id": "doc-race-1",
        "status": "in Bearbeitung",
        "message": "Wir prüfen Ihren Antrag.",
    }
    url, secret = _url(port, handed), handed.target.callback_secret
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _n: namespace["report"](url, secret, payload), range(8)))
    # then every one is answered with the one stored report, and the applicant is mailed once
    assert {status for status, _answer in answers} == {200}
    assert len({json.dumps(answer, sort_keys=True) for _status, answer in answers}) == 1
    with schema_context(handed.tenant.schema_name):
        assert Report.objects.count() == 1
        assert len(jobs("send_report_notice")) == 1
