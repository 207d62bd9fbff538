"""Helpers for the Stripe tests: signed webhook deliveries. (Forms with a fee, submissions and
jobs come from `tests.helpers.forms`.)"""

from __future__ import annotations

import json
import re

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


def fill_and_submit(client, duration="1") -> str:
    """Answer the fishing licence form as a citizen and submit; returns the page it leads to."""
    url = client.post("/forms/fishing-licence/")["Location"]
    base = url.rsplit("/", 2)[0]
    r = client.post(url, {"first_name": "Erika", "last_name": "Muster", "email": "e@example.org"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert client.post(f"{base}/licence/", {"duration": duration})["Location"] == f"{base}/check/"
    check = client.get(f"{base}/check/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    key = re.search(r'name="idempotency_key" value="(\w+)"', check).group(1)
    submitted = client.post(f"{base}/check/", {"idempotency_key": key})
    assert submitted.status_code == 302
    return submitted["Location"]
