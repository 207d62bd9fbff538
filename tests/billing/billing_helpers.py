"""Helpers for the Stripe tests: signed webhook deliveries. (Forms with a fee, submissions and
jobs come from `tests.helpers.forms`.)"""

from __future__ import annotations

import json

WEBHOOK_SECRET = "whsec_test_portalwerk"


def signed(payload: dict, secret: str, timestamp: int | None = None) -> tuple[bytes, str]:
    """The body and `Stripe-Signature` header Stripe would send: HMAC-SHA256 over
    "<timestamp>.<body>" with the endpoint's secret, as the SDK computes it."""
    body = json.dumps(payload).encode()
    return body, sign_raw(body, secret, timestamp)


def sign_raw(body: bytes, secret: str, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header for a body as it is (one json.dumps cannot produce)."""
    import hashlib
    import hmac
    import time

    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def checkout_event(event_id: str, type_: str, session_id: str, account: str) -> dict:
    import time

    return {
        "id": event_id,
        "object": "event",
        "api_version": "2024-06-20",
        "type": type_,
        "account": account,
        "created": int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "data": {"object": {"id": session_id, "object": "checkout.session"}},
    }
