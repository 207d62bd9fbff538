"""A real webhook receiver for the tests: a threaded `http.server` on loopback that does what a
careful back-office system does. It verifies the `Portalwerk-Signature` of every request
(401 when wrong), stores each parcel once per `Idempotency-Key` and answers a repeat with the
case number it gave the first time.

It can be told to misbehave: `fail(status, times)` answers with that status (before storing);
`slow(seconds, times)` sleeps that long AFTER storing (the client times out, yet the parcel
is there); `hold()` keeps requests open after storing until `release()`. `requests` counts every
request, `held` is what it stored."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from portalwerk.platform.handover import signing


class Receiver:
    def __init__(self, secret: str, port: int = 0):
        self.secret = secret
        self.held: dict[str, dict] = {}  # idempotency key -> the parcel's JSON
        self.requests = 0
        self.bad_signatures = 0
        self._slow: list[float] = []
        self.answer_delay = 0.0  # before answering anything (so that senders overlap)
        self._failures: list[int] = []
        self._released = threading.Event()
        self._released.set()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> Receiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()

    def fail(self, status: int, times: int = 1) -> None:
        with self._lock:
            self._failures += [status] * times

    def slow(self, seconds: float, times: int = 1) -> None:
        with self._lock:
            self._slow += [seconds] * times

    def hold(self) -> None:
        self._released.clear()

    def release(self) -> None:
        self._released.set()

    def count(self) -> int:
        with self._lock:
            return len(self.held)

    def case_number(self, key: str) -> str:
        return f"CASE-{list(self.held).index(key) + 1}"

    # --- one request ---------------------------------------------------------------------

    def handle(self, body: bytes, headers) -> tuple[int, dict]:
        import time

        with self._lock:
            self.requests += 1
        if self.answer_delay:
            time.sleep(self.answer_delay)
        try:
            signing.verify(body, headers.get(signing.HEADER), self.secret)
        except signing.BadSignature as error:
            with self._lock:
                self.bad_signatures += 1
            return 401, {"error": str(error)}
        key = headers.get("Idempotency-Key", "")
        with self._lock:
            if self._failures:
                return self._failures.pop(0), {"error": "told to fail"}
            if not key:
                return 400, {"error": "no Idempotency-Key"}
            self.held.setdefault(key, json.loads(body))
            reference = self.case_number(key)
            sleep = self._slow.pop(0) if self._slow else 0
        time.sleep(sleep)
        self._released.wait(60)
        return 200, {"case_number": reference}


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status, answer = receiver.handle(body, self.headers)
            data = json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the client gave up (timed out, killed) before the answer

        def log_message(self, format, *args):  # noqa: A002 (http.server's name)
            pass

    return Handler
