"""A real WebDAV share (wsgidav on loopback, served by a WSGI server thread) for the `dms`
backend's tests, started once per session, and parcels made by hand."""

from __future__ import annotations

import datetime
import hashlib
import logging
import shutil
import socketserver
import threading
import zipfile
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from lxml import etree
from wsgidav.wsgidav_app import WsgiDAVApp

from portalwerk.platform.handover.parcel import Answer, Parcel, ParcelFile

USER, PASSWORD = "portal", "s3cret-share"
SCHEMA = Path(__file__).parents[4] / "platform/handover/contrib/dms/schemas/xdomea_3.0.0/xdomea.xsd"
XDOMEA = {"x": "urn:xoev-de:xdomea:schema:3.0.0"}
PDF = b"%PDF-1.7\n% a receipt\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _Body:
    """The request body, ending at Content-Length: wsgiref hands over the raw socket, and
    wsgidav reads a PUT's body until the stream ends (as cheroot's or gunicorn's do)."""

    def __init__(self, stream, length: int):
        self.stream, self.left = stream, length

    def read(self, size: int = -1) -> bytes:
        size = self.left if size is None or size < 0 else min(size, self.left)
        data = self.stream.read(size) if size else b""
        self.left -= len(data)
        return data


def _bounded_body(app):
    def wrapped(environ, start_response):
        environ["wsgi.input"] = _Body(
            environ["wsgi.input"], int(environ.get("CONTENT_LENGTH") or 0)
        )
        return app(environ, start_response)

    return wrapped


@pytest.fixture(scope="session")
def webdav(tmp_path_factory):
    """(base URL of the share, its folder on disk); user USER, password PASSWORD."""
    root = tmp_path_factory.mktemp("webdav")
    logging.getLogger("wsgidav").setLevel(logging.WARNING)
    app = WsgiDAVApp(
        {
            "provider_mapping": {"/share": str(root)},
            "simple_dc": {"user_mapping": {"*": {USER: {"password": PASSWORD}}}},
            "http_authenticator": {
                "accept_basic": True,
                "accept_digest": False,
                "default_to_digest": False,
            },
            "verbose": 1,
            "logging": {"enable_loggers": []},
        }
    )
    server = make_server(
        "127.0.0.1",
        0,
        _bounded_body(app),
        server_class=_ThreadingServer,
        handler_class=_QuietHandler,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/share", root
    server.shutdown()
    server.server_close()


@pytest.fixture
def share(webdav, request):
    """A fresh, not yet existing folder on the share for one test: (its URL, its path)."""
    base, root = webdav
    name = request.node.name.replace("[", "-").replace("]", "")[:60]
    shutil.rmtree(root / name, ignore_errors=True)
    return f"{base}/{name}/", root / name


def make_file(name, kind, content, *, field_key="", upload_id=""):
    return ParcelFile(
        name=name,
        kind=kind,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        read=lambda: content,
        field_key=field_key,
        upload_id=upload_id,
    )


def make_parcel(key="0b7e9c2e-4c4f-4f3e-9a55-5d2f7a1c9e01", **changes) -> Parcel:
    fields = dict(
        idempotency_key=key,
        delivery_id=7,
        target_id=3,
        tenant_schema="alpha",
        tenant_name="Stadt Alpha",
        reference="FS-2026-00042",
        form_slug="fishing-licence",
        form_title="Fischereischein",
        form_version=2,
        language="de",
        submitted_at=datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC),
        applicant_name="Jörg Weiß",
        applicant_email="joerg@example.org",
        answers={"person": {"first_name": "Jörg"}, "licence": {"duration": "5"}},
        answer_list=(
            Answer("person.first_name", "Vorname", "Jörg"),
            Answer("licence.duration", "Gültigkeit", "5 Jahre"),
        ),
        receipt=make_file("FS-2026-00042.pdf", "pdf", PDF),
        files=(
            make_file("Passbild.png", "png", PNG, field_key="photo", upload_id="u-1"),
            make_file("Prüfung & Zeugnis.jpeg", "jpeg", JPEG, field_key="exam", upload_id="u-2"),
        ),
        fee_cents=4500,
        payment_reference="KZ-77",
        payment_status="paid",
    )
    fields.update(changes)
    return Parcel(**fields)


def dms_config(**changes) -> dict:
    config = {
        "destination": "webdav",
        "url": "",
        "username": USER,
        "password": PASSWORD,
        "folder": "",
        "timeout": 10,
        "sender_name": "",
        "sender_prefix": "ags",
        "sender_code": "09189155",
        "recipient_name": "Landratsamt Musterkreis",
        "recipient_unit": "Untere Fischereibehörde",
        "recipient_prefix": "",
        "recipient_code": "",
        "creator": "portalwerk",
        "filing_location": "32.1 Fischereischeine",
    }
    config.update(changes)
    return config


_schema = None


def xdomea_schema() -> etree.XMLSchema:
    global _schema
    if _schema is None:
        _schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    return _schema


def open_package(path: Path):
    """What the DMS finds in one package: the parsed message, validated against the official
    schema (AssertionError otherwise), and the primary files by name."""
    with zipfile.ZipFile(path) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    message_name = path.name.removesuffix(".zip") + ".xml"
    message = etree.fromstring(contents.pop(message_name))
    schema = xdomea_schema()
    assert schema.validate(message), schema.error_log
    return message, contents
