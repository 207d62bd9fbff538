"""Real servers on loopback for the data source tests: a threaded HTTP server answering JSON
(and garbage, slow answers, errors) per path, and a WSGI SOAP endpoint that serves a WSDL and
checks every request against the WSDL's schema with lxml. Both count the requests they get."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from contextlib import nullcontext
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django_tenants.utils import schema_context
from lxml import etree

WSDL = Path(__file__).parents[1] / "platform" / "datasources" / "fixtures" / "waters.wsdl"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
TNS = "urn:example:gewaesser"


class Route:
    def __init__(
        self,
        body: bytes | str | object,
        status: int = 200,
        delay: float = 0.0,
        trickle: float = 0.0,
    ):
        if not isinstance(body, (bytes, str)):
            body = json.dumps(body)
        self.body = body.encode() if isinstance(body, str) else body
        self.status, self.delay, self.trickle = status, delay, trickle


class JsonServer:
    """`server.routes["/waters"] = Route({...})`; `server.hits["/waters"]` counts requests."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.hits: Counter = Counter()
        self.headers: dict[str, dict] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.hits[self.path] += 1
                outer.headers[self.path] = dict(self.headers)
                route = outer.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                time.sleep(route.delay)
                self.send_response(route.status)
                self.send_header("Content-Type", "application/json")
                if not route.trickle:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                try:
                    if route.trickle:  # a byte at a time, never quite done in time
                        for byte in route.body:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(route.trickle)
                    else:
                        self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class SoapServer:
    """Serves the WSDL at `/soap?wsdl` and answers `ListWaters` with `self.waters`. A request
    that does not validate against the WSDL's schema gets a client fault; `self.mode = "fault"`
    makes every call a server fault, `"garbage"` answers with broken XML."""

    def __init__(self):
        self.waters = [("aller", "Aller"), ("leine", "Leine")]
        self.mode = "ok"
        self.calls = 0
        self.invalid_requests = 0
        self.httpd = make_server(
            "127.0.0.1", 0, self.app, server_class=_ThreadingWSGIServer, handler_class=_Quiet
        )
        definitions = etree.parse(str(WSDL))
        schema = definitions.find(".//{http://www.w3.org/2001/XMLSchema}schema")
        self.schema = etree.XMLSchema(schema)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}/soap"

    @property
    def wsdl_url(self) -> str:
        return self.address + "?wsdl"

    def app(self, environ, start_response):
        if environ["REQUEST_METHOD"] == "GET":
            body = WSDL.read_text().replace("{address}", self.address).encode()
            start_response("200 OK", [("Content-Type", "text/xml")])
            return [body]
        self.calls += 1
        length = int(environ.get("CONTENT_LENGTH") or 0)
        request = etree.fromstring(environ["wsgi.input"].read(length))
        payload = request.find(f"{{{SOAP_ENV}}}Body")[0]
        if not self.schema.validate(payload):
            self.invalid_requests += 1
            return self._fault(start_response, "soap:Client", "request does not match the WSDL")
        if self.mode == "fault":
            return self._fault(start_response, "soap:Server", "register offline")
        if self.mode == "garbage":
            start_response("200 OK", [("Content-Type", "text/xml")])
            return [b"<soap:Envelope><unclosed>"]
        waters = "".join(
            f"<tns:water><tns:code>{code}</tns:code><tns:name>{name}</tns:name></tns:water>"
            for code, name in self.waters
        )
        body = (
            f'<soap:Envelope xmlns:soap="{SOAP_ENV}" xmlns:tns="{TNS}"><soap:Body>'
            f"<tns:ListWatersResponse>{waters}</tns:ListWatersResponse>"
            "</soap:Body></soap:Envelope>"
        )
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8")])
        return [body.encode()]

    def _fault(self, start_response, code: str, text: str):
        body = (
            f'<soap:Envelope xmlns:soap="{SOAP_ENV}"><soap:Body><soap:Fault>'
            f"<faultcode>{code}</faultcode><faultstring>{text}</faultstring>"
            "</soap:Fault></soap:Body></soap:Envelope>"
        )
        start_response("500 Internal Server Error", [("Content-Type", "text/xml")])
        return [body.encode()]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def make_source(
    tenant, admin, *, key="waters", plugin="rest", timeout=2, cache=3600, fallback=(), **config
):
    from portalwerk.platform.authz.actors import from_user
    from portalwerk.platform.datasources import services

    with schema_context(tenant.schema_name) if tenant is not None else nullcontext():
        return services.save_source(
            actor=from_user(admin),
            source=None,
            key=key,
            name=key.title(),
            plugin=plugin,
            config={f"config-{k}": v for k, v in config.items()},
            timeout_seconds=timeout,
            cache_seconds=cache,
            fallback_options=list(fallback),
        )
