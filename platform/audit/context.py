"""The id of the request (or job) that is running, so an audit entry can name where it came from
without every service taking a request argument."""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Iterator
from contextvars import ContextVar

_current: ContextVar[str] = ContextVar("portalwerk_request_id", default="")

# What a proxy or load balancer may send: a UUID, a hex trace id, "req-1234"... Anything else
# (too long, spaces, control characters) is replaced, so a client cannot fill the log with text.
_SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,63}")


def new_id(prefix: str = "") -> str:
    return prefix + uuid.uuid4().hex


def sane(candidate: str | None) -> str | None:
    return candidate if candidate and _SANE.fullmatch(candidate) else None


def current() -> str:
    return _current.get()


@contextlib.contextmanager
def using(request_id: str) -> Iterator[str]:
    token = _current.set(request_id)
    try:
        yield request_id
    finally:
        _current.reset(token)
