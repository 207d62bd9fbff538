"""The one signature scheme of hand-over, both ways: what we send to a webhook and what a
receiving system reports back are signed alike, in the manner of Stripe's webhooks.

Header `Portalwerk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed
with the target's secret. A receiver recomputes the HMAC over the exact body bytes, compares in
constant time and refuses timestamps older than its tolerance (ours: five minutes), so a
recorded request cannot be replayed later."""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "Portalwerk-Signature"
TOLERANCE_SECONDS = 300


class BadSignature(Exception):
    """Missing, malformed, wrong or stale."""


def sign(body: bytes, secret: str, *, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def verify(body: bytes, header: str | None, secret: str, *, now: int | None = None) -> int:
    """The signed timestamp, when `header` signs `body` with `secret` within the tolerance;
    raises BadSignature otherwise."""
    parts = {}
    for item in (header or "").split(","):
        name, _sep, value = item.strip().partition("=")
        parts.setdefault(name, []).append(value)
    try:
        t = int(parts["t"][0])
    except (KeyError, ValueError, IndexError):
        raise BadSignature("no timestamp") from None
    now = int(time.time()) if now is None else now
    if abs(now - t) > TOLERANCE_SECONDS:
        raise BadSignature("timestamp outside the tolerance")
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, v) for v in parts.get("v1", [])):
        raise BadSignature("signature does not match")
    return t
