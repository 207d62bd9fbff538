"""A real HTTP receiver on loopback for hand-over tests: it stores each parcel once per
idempotency key and answers with a case number; `fail_with` makes it answer with an error."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, token: str = "s3cret-token") -> None:
        self.token = token
        self.parcels: dict[str, dict] = {}
        self.posts = 0
        self.fail_with: int | None = None
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet in test output
                pass

            def do_GET(self):
                self._answer(200, {"ok": True})

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._lock:
                    receiver.posts += 1
                    if receiver.fail_with:
                        return self._answer(receiver.fail_with, {"error": "as told"})
                    if self.headers.get("Authorization") != f"Bearer {receiver.token}":
                        return self._answer(401, {"error": "token"})
                    key = self.headers["Idempotency-Key"]
                    if key not in receiver.parcels:
                        parcel = json.loads(body)
                        parcel["case"] = f"CASE-{len(receiver.parcels) + 1}"
                        receiver.parcels[key] = parcel
                    self._answer(200, {"case": receiver.parcels[key]["case"]})

            def _answer(self, status: int, data: dict):
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/parcels"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
