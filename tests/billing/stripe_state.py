"""What Stripe would know, in front of stripe-mock.

stripe-mock checks every request against Stripe's OpenAPI spec and answers with fixtures, but it
keeps no state: a Checkout Session read back is always "open / unpaid". This small proxy forwards
every request to stripe-mock unchanged (so the validation is real) and only overlays the state
fields of the sessions a test says were paid, failed or expired — the part of Stripe a test needs
to play. It also records what was sent, so tests can check headers (Stripe-Account,
Idempotency-Key)."""

from __future__ import annotations

import http.client
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

SESSION_PATH = re.compile(r"^/v1/checkout/sessions/(cs_[A-Za-z0-9_]+)")
ACCOUNT_PATH = re.compile(r"^/v1/accounts/(acct_[A-Za-z0-9_]+)$")
# What Stripe answers (HTTP 403) for an account that is not connected to the platform, or does
# not exist: stripe-mock answers every id with its fixture, so this part is played here.
NO_ACCESS = {
    "error": {
        "code": "account_invalid",
        "message": "The provided key does not have access to account (or that account does "
        "not exist). Application access may have been revoked.",
        "type": "invalid_request_error",
    }
}


class StripeState:
    def __init__(self, upstream: str) -> None:
        self.upstream = urlsplit(upstream)
        self.sessions: dict[str, dict] = {}
        # connected accounts a test has set up: id -> charges_enabled; absent ids get
        # stripe-mock's fixture (which has charges_enabled false)
        self.accounts: dict[str, bool] = {}
        self.not_connected: set[str] = set()
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> StripeState:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.sessions.clear()
            self.accounts.clear()
            self.not_connected.clear()
            self.requests.clear()

    def set_session(
        self,
        session_id: str,
        *,
        status: str,
        payment_status: str,
        intent_status: str,
        amount: int,
        fee: int = 0,
        method: str = "card",
    ) -> None:
        with self._lock:
            self.sessions[session_id] = {
                "status": status,
                "payment_status": payment_status,
                "intent_status": intent_status,
                "amount": amount,
                "fee": fee,
                "method": method,
            }

    def account(self, account_id: str, *, charges_enabled: bool = True) -> None:
        """A connected account of the platform, as far as a test needs Stripe to know it."""
        with self._lock:
            self.accounts[account_id] = charges_enabled

    def not_connected_account(self, account_id: str) -> None:
        with self._lock:
            self.not_connected.add(account_id)

    def paid(self, session_id: str, amount: int, **kw) -> None:
        self.set_session(
            session_id,
            status="complete",
            payment_status="paid",
            intent_status="succeeded",
            amount=amount,
            **kw,
        )

    def processing(self, session_id: str, amount: int) -> None:
        self.set_session(
            session_id,
            status="complete",
            payment_status="unpaid",
            intent_status="processing",
            amount=amount,
            method="sepa_debit",
        )

    def failed(self, session_id: str, amount: int) -> None:
        self.set_session(
            session_id,
            status="complete",
            payment_status="unpaid",
            intent_status="requires_payment_method",
            amount=amount,
            method="sepa_debit",
        )

    def _overlay(self, path: str, body: dict) -> dict:
        account = ACCOUNT_PATH.match(path)
        if account and account.group(1) in self.accounts:
            body["charges_enabled"] = self.accounts[account.group(1)]
            return body
        match = SESSION_PATH.match(path)
        state = self.sessions.get(match.group(1)) if match else None
        if state is None:
            return body
        body["status"] = state["status"]
        body["payment_status"] = state["payment_status"]
        body["amount_total"] = state["amount"]
        intent = body.get("payment_intent")
        if isinstance(intent, dict):
            intent["status"] = state["intent_status"]
            intent["amount"] = state["amount"]
            intent["application_fee_amount"] = state["fee"] or None
            intent["payment_method_types"] = [state["method"]]
            if state["intent_status"] == "requires_payment_method":
                intent["last_payment_error"] = {"code": "insufficient_funds", "type": "card_error"}
        return body

    def _handler(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length) if length else None
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() not in {"host", "connection"}
                }
                with proxy._lock:
                    proxy.requests.append(
                        {
                            "method": self.command,
                            "path": self.path,
                            "stripe_account": self.headers.get("Stripe-Account", ""),
                            "idempotency_key": self.headers.get("Idempotency-Key", ""),
                            "body": (data or b"").decode(),
                        }
                    )
                account = ACCOUNT_PATH.match(urlsplit(self.path).path)
                if account and account.group(1) in proxy.not_connected:
                    self._answer(403, json.dumps(NO_ACCESS).encode())
                    return
                upstream = http.client.HTTPConnection(
                    proxy.upstream.hostname, proxy.upstream.port, timeout=20
                )
                upstream.request(self.command, self.path, body=data, headers=headers)
                response = upstream.getresponse()
                payload = response.read()
                if self.command == "GET" and response.status == 200:
                    with proxy._lock:
                        payload = json.dumps(
                            proxy._overlay(urlsplit(self.path).path, json.loads(payload))
                        ).encode()
                self.send_response(response.status)
                for key, value in response.getheaders():
                    if key.lower() not in {"content-length", "transfer-encoding", "connection"}:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                upstream.close()

            def _answer(self, status: int, payload: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_DELETE = _forward

        return Handler
