"""A back-office system that takes applications by SOAP, for the hand-over tests: a small WSGI
endpoint on loopback that serves the fixture WSDL (tests/platform/handover/soap/fixtures/),
validates every request body against the WSDL's schema with lxml (an invalid one gets a SOAP
client fault), stores each application once per Vorgangskennung and answers the same
Aktenzeichen for a repeat. The client side in the tests is the real zeep; the schema is the
contract (see /work/shared/COMPONENTS.md, "SOAP")."""

from __future__ import annotations

import base64
import datetime
import socketserver
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from lxml import etree

FIXTURES = Path(__file__).resolve().parent.parent / "platform/handover/soap/fixtures"
ENV = "http://schemas.xmlsoap.org/soap/envelope/"
FJ = "https://fachverfahren.example/fischerei-jagd/antrag/1"


@dataclass
class Stored:
    aktenzeichen: str
    element: etree._Element
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # name: (mime, bytes)

    def text(self, path: str) -> str | None:
        found = self.element.find("/".join(f"{{{FJ}}}{part}" for part in path.split(".")))
        return None if found is None else found.text


class Receiver:
    """The application's state; `mode` makes the next requests fail the way tests need:
    "server_fault", "permission_fault" (a client fault with a subcode), "http_503", "slow"
    (answer after `slow_seconds`), "store_then_slow" (store, then answer too late: the sender
    times out although the receiver has it)."""

    def __init__(self):
        self.schema = etree.XMLSchema(etree.parse(str(FIXTURES / "antrag.xsd")))
        self.lock = threading.Lock()
        self.stored: dict[str, Stored] = {}
        self.posts = 0
        self.refused = 0
        self.mode = "ok"
        self.slow_seconds = 3.0
        self.credentials: tuple[str, str] | None = None
        self.schema_location = "antrag.xsd"  # where the served WSDL says its schema is
        self.base_url = ""

    def reset(self) -> None:
        with self.lock:
            self.stored.clear()
            self.posts = self.refused = 0
            self.mode = "ok"
            self.credentials = None
            self.schema_location = "antrag.xsd"

    @property
    def wsdl_url(self) -> str:
        return f"{self.base_url}/antrag.wsdl"

    # --- WSGI -----------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        path, method = environ.get("PATH_INFO", ""), environ["REQUEST_METHOD"]
        if method == "GET" and path == "/antrag.wsdl":
            text = (
                (FIXTURES / "antrag.wsdl")
                .read_text()
                .replace("ENDPOINT", self.base_url + "/dienst")
                .replace('"antrag.xsd"', f'"{self.schema_location}"')
            )
            return _answer(start_response, "200 OK", text.encode(), "text/xml")
        if method == "GET" and path == "/antrag.xsd":
            return _answer(
                start_response, "200 OK", (FIXTURES / "antrag.xsd").read_bytes(), "text/xml"
            )
        if method == "POST" and path == "/dienst":
            if self.credentials and environ.get("HTTP_AUTHORIZATION") != _basic(*self.credentials):
                return _answer(start_response, "401 Unauthorized", b"", "text/plain")
            length = int(environ.get("CONTENT_LENGTH") or 0)
            return self.post(environ["wsgi.input"].read(length), start_response)
        return _answer(start_response, "404 Not Found", b"", "text/plain")

    def post(self, body: bytes, start_response):
        with self.lock:
            self.posts += 1
            mode = self.mode
        if mode == "http_503":
            return _answer(start_response, "503 Service Unavailable", b"busy", "text/plain")
        if mode == "server_fault":
            return _fault(start_response, "Server", "Datenbank nicht erreichbar")
        if mode == "permission_fault":
            return _fault(start_response, "Client.Berechtigung", "Keine Berechtigung")
        if mode == "slow":
            time.sleep(self.slow_seconds)
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        try:
            envelope = etree.fromstring(body, parser)
        except etree.XMLSyntaxError as error:
            return self._refuse(start_response, f"Kein XML: {error}")
        payload = envelope.find(f"{{{ENV}}}Body/*")
        if envelope.tag != f"{{{ENV}}}Envelope" or payload is None:
            return self._refuse(start_response, "Kein SOAP-Umschlag")
        if not self.schema.validate(payload):
            return self._refuse(start_response, f"Schemafehler: {self.schema.error_log.last_error}")
        if payload.tag != f"{{{FJ}}}AntragEinreichen":
            return self._refuse(start_response, "Operation nicht unterstuetzt")
        stored = self._store(payload)
        if mode == "store_then_slow":
            time.sleep(self.slow_seconds)
        now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        answer = (
            f'<fj:AntragEinreichenAntwort xmlns:fj="{FJ}">'
            f"<fj:Aktenzeichen>{stored.aktenzeichen}</fj:Aktenzeichen>"
            f"<fj:Eingegangen>{now}</fj:Eingegangen></fj:AntragEinreichenAntwort>"
        )
        return _answer(start_response, "200 OK", _envelope(answer), "text/xml; charset=utf-8")

    def _store(self, payload) -> Stored:
        key = payload.findtext(f"{{{FJ}}}Vorgangskennung")
        with self.lock:
            if key not in self.stored:
                files = {
                    anlage.findtext(f"{{{FJ}}}Dateiname"): (
                        anlage.findtext(f"{{{FJ}}}MimeType"),
                        base64.b64decode(anlage.findtext(f"{{{FJ}}}Inhalt") or ""),
                    )
                    for anlage in payload.iterfind(f"{{{FJ}}}Anlage")
                }
                number = f"FJ-{datetime.date.today():%Y}-{len(self.stored) + 1:05d}"
                self.stored[key] = Stored(number, payload, files)
            return self.stored[key]

    def _refuse(self, start_response, reason: str):
        with self.lock:
            self.refused += 1
        return _fault(start_response, "Client", reason)


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _envelope(inner: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="{ENV}">'
        f"<soapenv:Body>{inner}</soapenv:Body></soapenv:Envelope>"
    ).encode()


def _fault(start_response, code: str, reason: str):
    reason = reason.replace("&", "&amp;").replace("<", "&lt;")
    inner = (
        f"<soapenv:Fault><faultcode>soapenv:{code}</faultcode>"
        f"<faultstring>{reason}</faultstring></soapenv:Fault>"
    )
    return _answer(start_response, "500 Internal Server Error", _envelope(inner), "text/xml")


def _answer(start_response, status: str, body: bytes, content_type: str):
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def start() -> tuple[Receiver, WSGIServer]:
    receiver = Receiver()
    server = make_server("127.0.0.1", 0, receiver, _ThreadingServer, _Quiet)
    receiver.base_url = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True, name="soap-receiver").start()
    return receiver, server
