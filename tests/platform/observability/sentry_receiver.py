"""A Sentry ingest endpoint on loopback: the SDK's own HTTP transport posts its envelopes here,
exactly as it would to sentry.io, and the test reads back what arrived."""

from __future__ import annotations

import gzip
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sentry_sdk.envelope import Envelope


def _decoded(body: bytes, encoding: str) -> bytes:
    # the SDK compresses with brotli whenever the module is importable (locust, a dev
    # dependency, brings it), otherwise with gzip; Sentry's ingest takes both
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        import brotli

        return brotli.decompress(body)
    return body


class Receiver:
    def __init__(self):
        self.envelopes: list[Envelope] = []
        received = self.envelopes

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                body = _decoded(body, self.headers.get("Content-Encoding", ""))
                received.append(Envelope.deserialize(body))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def dsn(self) -> str:
        return f"http://public@127.0.0.1:{self.server.server_address[1]}/1"

    def items(self, kind: str) -> list[dict]:
        return [
            item.payload.json
            for envelope in self.envelopes
            for item in envelope.items
            if item.headers.get("type") == kind
        ]

    def events(self) -> list[dict]:
        return self.items("event")

    def transactions(self) -> list[dict]:
        return self.items("transaction")
