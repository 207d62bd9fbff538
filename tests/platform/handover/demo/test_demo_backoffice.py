"""The demo back office (hand-over backend `demo`): a submission handed over to it arrives once
per idempotency key, an operator sees it on the base host and answers; the answer goes, signed
with the target's callback secret, to the status address the parcel named, through a real HTTP
receiver on loopback."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import translation
from django_tenants.utils import schema_context

from portalwerk.platform.handover import signing
from portalwerk.platform.handover.contrib.demo.models import DemoAnswer, DemoParcel
from portalwerk.platform.handover.models import Delivery, DeliveryStatus, Target
from portalwerk.platform.handover.registry import backends
from tests.helpers.forms import PDF, PERSON_STEP, make_submission, publish_form, run_jobs

ANSWERS = {"person": {"first_name": "Erika", "last_name": "Muster", "email": "erika@example.org"}}
BASE = "localhost"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Receiver:
    """A portal's status endpoint stand-in: checks the signature with `secret`, keeps what
    came, answers `status`."""

    def __init__(self):
        self.requests: list[dict] = []
        self.secret = ""
        self.status = 201
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                try:
                    signing.verify(body, self.headers.get(signing.HEADER), receiver.secret)
                    signed = True
                except signing.BadSignature:
                    signed = False
                receiver.requests.append(
                    {
                        "path": self.path,
                        "host": self.headers["Host"],
                        "signed": signed,
                        "json": json.loads(body),
                    }
                )
                self.send_response(receiver.status if signed else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]


@pytest.fixture
def receiver():
    found = Receiver()
    thread = threading.Thread(target=found.server.serve_forever, daemon=True)
    thread.start()
    yield found
    found.server.shutdown()
    found.server.server_close()


def handed_over(tenant, clerk, citizen, *, language="de"):
    """A submission of a form with a "Demo-Fachverfahren" target, delivered by its job."""
    with schema_context(tenant.schema_name):
        form = publish_form(
            clerk, "fishing", {"de": "Angeln", "en": "Fishing"}, {"steps": [PERSON_STEP]}
        )
        target = Target.objects.create(name="Demo-Fachverfahren", backend="demo")
        target.forms.add(form)
        with translation.override(language):
            submission = make_submission(form, citizen, ANSWERS)
        run_jobs("send_submission_receipt")
        assert run_jobs("handover.tasks.deliver") == [DeliveryStatus.DELIVERED]
        delivery = Delivery.objects.get(submission=submission)
    connection.set_schema_to_public()
    return target, submission, delivery


def test_the_demo_backend_is_there_only_with_demo_plugins(settings):
    settings.PORTALWERK_DEMO_PLUGINS = True
    assert backends.is_enabled("demo")
    settings.PORTALWERK_DEMO_PLUGINS = False
    assert not backends.is_enabled("demo")


STARTUP = """
import json, django
django.setup()
from django.conf import settings
from django.urls import Resolver404, resolve
from portalwerk.platform.handover.registry import backends
try:
    routed = resolve("/demo-backoffice/", "portalwerk.platform.urls_public").url_name
except Resolver404:
    routed = None
print(json.dumps({
    "installed": "portalwerk.platform.handover.contrib.demo" in settings.SHARED_APPS,
    "backends": backends.names(),
    "routed": routed,
}))
"""


@pytest.mark.parametrize(
    ("demo_plugins", "expected"),
    [
        ("", {"installed": False, "backends": [], "routed": None}),
        ("1", {"installed": True, "backends": ["demo"], "routed": "inbox"}),
    ],
)
def test_outside_development_the_demo_back_office_is_not_installed_or_routed(
    tmp_path, demo_plugins, expected
):
    # a process started as production would be (no DJANGO_DEBUG, no PORTALWERK_TESTING)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PORTALWERK_", "DJANGO_"))}
    env |= {
        "PORTALWERK_HOME": str(tmp_path),
        "PORTALWERK_SECRET_KEY": "k" * 50,
        "DJANGO_SETTINGS_MODULE": "portalwerk.platform.settings",
        "PORTALWERK_HANDOVER_PLUGINS": "",
        "PORTALWERK_DEMO_PLUGINS": demo_plugins,
    }
    result = subprocess.run(
        [sys.executable, "-c", STARTUP], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == expected


def test_a_delivery_arrives_once_however_often_it_is_sent(tenant_a, clerk, citizen):
    # given a submission delivered to the demo back office
    target, submission, delivery = handed_over(tenant_a, clerk, citizen)
    parcel = DemoParcel.objects.get()
    assert parcel.idempotency_key == str(delivery.key)
    assert (parcel.tenant_name, parcel.reference) == (tenant_a.name, submission.reference)
    assert ["Vorname", "Erika"] in parcel.answers
    assert [f.name for f in parcel.files.all()] == [f"{submission.reference}.pdf"]
    assert delivery.receiver_reference == parcel.case_number
    # its answers go to the tenant's status endpoint of this target
    assert parcel.status_url == f"http://alpha.localhost/handover/status/{target.pk}/"
    # when the same parcel comes again (a retry after a timeout, a clerk's re-send)
    from portalwerk.platform.handover.parcels import parcel_of

    with schema_context(tenant_a.schema_name):
        again = backends.get("demo").deliver(parcel_of(delivery), {})
    # then the back office still holds it once, and says it came twice
    assert DemoParcel.objects.count() == 1
    assert again.receiver_reference == parcel.case_number
    assert DemoParcel.objects.get().times_received == 2


def test_the_operator_sees_what_arrived_on_the_base_host(
    tenant_a, clerk, citizen, operator, client_for
):
    _target, submission, delivery = handed_over(tenant_a, clerk, citizen)
    parcel = DemoParcel.objects.get()
    browser = client_for(BASE)
    browser.sign_in(operator.email)
    listing = browser.get("/demo-backoffice/", HTTP_ACCEPT_LANGUAGE="de")
    assert submission.reference in listing.content.decode()
    assert tenant_a.name in listing.content.decode()
    page = browser.get(f"/demo-backoffice/{parcel.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert str(delivery.key) in page and "Erika" in page and "erika@example.org" in page
    receipt = parcel.files.get()
    download = browser.get(f"/demo-backoffice/{parcel.pk}/files/{receipt.pk}/")
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF")
    # what is not there is "not found", whichever part of the address is wrong
    assert browser.get(f"/demo-backoffice/{parcel.pk + 1}/").status_code == 404
    assert browser.get(f"/demo-backoffice/{parcel.pk + 1}/files/{receipt.pk}/").status_code == 404
    assert browser.get(f"/demo-backoffice/{parcel.pk}/files/{receipt.pk + 1}/").status_code == 404


def test_nobody_but_operators_sees_the_demo_back_office(
    tenant_a, clerk, citizen, client_for, tenant_admin
):
    handed_over(tenant_a, clerk, citizen)
    parcel = DemoParcel.objects.get()
    # anonymous visitors are sent to sign in
    anonymous = client_for(BASE).get(f"/demo-backoffice/{parcel.pk}/")
    assert anonymous.status_code == 302 and "/accounts/sign-in/" in anonymous["Location"]
    # on a tenant's host it does not exist, not even for its admin
    admin = client_for(tenant_a)
    admin.sign_in(tenant_admin.email)
    assert admin.get("/demo-backoffice/").status_code == 404
    assert admin.get(f"/demo-backoffice/{parcel.pk}/").status_code == 404


def answer_form(**fields):
    return {"case_number": "FV-2026-0042", "status": "in_progress", "message": "", **fields}


def test_the_answer_goes_signed_to_the_status_address(
    tenant_a, clerk, citizen, operator, client_for, receiver
):
    # given an application that arrived, whose portal's endpoint is the receiver; the
    # receiver is addressed as a demo tenant is, on a subdomain of localhost
    target, _submission, delivery = handed_over(tenant_a, clerk, citizen)
    receiver.secret = target.callback_secret
    parcel = DemoParcel.objects.get()
    status_url = f"http://alpha.localhost:{receiver.port}/handover/status/{target.pk}/"
    DemoParcel.objects.filter(pk=parcel.pk).update(status_url=status_url)
    browser = client_for(BASE)
    browser.sign_in(operator.email)
    # when the operator answers with a case number, a status, a message and the notice
    response = browser.post(
        f"/demo-backoffice/{parcel.pk}/",
        answer_form(
            status="notice_issued",
            message="Ihr Bescheid liegt bei.",
            document=SimpleUploadedFile("bescheid.pdf", PDF, content_type="application/pdf"),
        ),
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    # then the endpoint got it once, signed with the target's secret, in the protocol's shape
    assert len(receiver.requests) == 1
    got = receiver.requests[0]
    assert got["signed"]
    assert got["path"] == f"/handover/status/{target.pk}/"
    assert got["host"] == f"alpha.localhost:{receiver.port}"
    body = got["json"]
    answer = DemoAnswer.objects.get()
    assert body["delivery"] == str(delivery.key)
    assert body["event_id"] == str(answer.event_id)
    assert body["case_number"] == "FV-2026-0042"
    # the status in words, in the language of the application (German)
    assert body["status"] == "Bescheid erstellt"
    assert body["message"] == "Ihr Bescheid liegt bei."
    assert body["document"]["name"] == "bescheid.pdf"
    assert body["document"]["content_type"] == "application/pdf"
    assert base64.b64decode(body["document"]["content_base64"]) == PDF
    # and the operator reads that the portal took it
    assert "The portal has taken the answer." in response.content.decode()
    assert answer.accepted and answer.last_http_status == 201


def test_an_answer_the_portal_did_not_take_can_be_sent_again(
    tenant_a, clerk, citizen, operator, client_for, receiver
):
    target, _submission, _delivery = handed_over(tenant_a, clerk, citizen)
    receiver.secret = target.callback_secret
    receiver.status = 503
    parcel = DemoParcel.objects.get()
    DemoParcel.objects.filter(pk=parcel.pk).update(
        status_url=f"http://127.0.0.1:{receiver.port}/handover/status/{target.pk}/"
    )
    browser = client_for(BASE)
    browser.sign_in(operator.email)
    page = browser.post(
        f"/demo-backoffice/{parcel.pk}/",
        answer_form(),
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    ).content.decode()
    assert "The portal did not take the answer (HTTP 503" in page
    assert "Send again" in page
    answer = DemoAnswer.objects.get()
    # when the portal is back and the operator sends it again
    receiver.status = 200
    page = browser.post(
        f"/demo-backoffice/{parcel.pk}/answers/{answer.pk}/send/",
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    ).content.decode()
    # then the same event came again (the portal applies it once) and it is taken now
    assert [r["json"]["event_id"] for r in receiver.requests] == [str(answer.event_id)] * 2
    assert "The portal has taken the answer." in page
    answer.refresh_from_db()
    assert answer.accepted and answer.attempts == 2


def test_an_unreachable_portal_is_said_plainly(tenant_a, clerk, citizen, operator, client_for):
    handed_over(tenant_a, clerk, citizen)
    parcel = DemoParcel.objects.get()
    DemoParcel.objects.filter(pk=parcel.pk).update(status_url="http://127.0.0.1:9/status/")
    browser = client_for(BASE)
    browser.sign_in(operator.email)
    page = browser.post(
        f"/demo-backoffice/{parcel.pk}/", answer_form(), HTTP_ACCEPT_LANGUAGE="en", follow=True
    ).content.decode()
    assert "The portal did not take the answer (ConnectError" in page
    assert not DemoAnswer.objects.get().accepted


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"case_number": "  "}, "f-case_number", "Enter a case number."),
        ({"status": "", "message": ""}, "f-status", "Choose a status, write a message"),
        ({"status": "bribed"}, "f-status", "Choose a status from the list."),
        (
            {
                "document": SimpleUploadedFile(
                    "x.pdf", b"MZ\x90\x00", content_type="application/pdf"
                )
            },
            "f-document",
            "The document must be a PDF, PNG or JPEG.",
        ),
    ],
)
def test_an_answer_that_cannot_go_is_refused_with_the_reason(
    tenant_a, clerk, citizen, operator, client_for, receiver, fields, field, message
):
    handed_over(tenant_a, clerk, citizen)
    parcel = DemoParcel.objects.get()
    browser = client_for(BASE)
    browser.sign_in(operator.email)
    response = browser.post(
        f"/demo-backoffice/{parcel.pk}/", answer_form(**fields), HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and message in page
    assert f'href="#{field}"' in page
    assert not DemoAnswer.objects.exists() and receiver.requests == []


def test_the_demo_seed_hands_the_licence_forms_to_the_demo_back_office(
    tenant_a, clerk, tenant_admin
):
    # given a tenant that offers the fishing and hunting licence forms of the shared library
    from portalwerk.platform.authz.actors import from_user
    from portalwerk.platform.formlibrary.library import sync_library
    from portalwerk.platform.forms import services
    from portalwerk.platform.handover.demo import seed_targets

    sync_library()
    with schema_context(tenant_a.schema_name):
        for key in ("fishing-licence-exam", "hunting-licence-exam", "dog-tax-registration"):
            services.adopt_template(actor=from_user(clerk), key=key, publish=True)
        # when the demo seeds its targets, twice
        seed_targets(actor=from_user(tenant_admin))
        seed_targets(actor=from_user(tenant_admin))
        # then one "Demo-Fachverfahren" target takes exactly the two licence forms
        target = Target.objects.get(backend="demo")
        assert target.name == "Demo-Fachverfahren" and target.is_active
        assert sorted(target.forms.values_list("slug", flat=True)) == [
            "fishing-licence-exam",
            "hunting-licence-exam",
        ]
        # and a DMS target only where the dms backend is on, its settings taken by its form
        assert Target.objects.filter(backend="dms").exists() == backends.is_enabled("dms")
        assert Target.objects.filter(backend="dms").count() <= 1


def test_a_tenant_without_the_licence_forms_gets_no_demo_targets(tenant_a, tenant_admin):
    from portalwerk.platform.authz.actors import from_user
    from portalwerk.platform.handover.demo import seed_targets

    with schema_context(tenant_a.schema_name):
        assert seed_targets(actor=from_user(tenant_admin)) == []
        assert not Target.objects.exists()
