"""What every log line and every Sentry event says about where it came from: the request id,
the tenant, the job. Kept in structlog's context variables, which are bound per request
(observability.middleware) and per job (observability.jobs). Imports nothing of ours: the
error reporting (platform/errors.py, a low layer) asks it too."""

from __future__ import annotations

import ipaddress

import structlog

# The keys a line or event may carry about its origin; Sentry gets them as tags.
TAG_KEYS = ("request_id", "tenant", "task", "job_id")


def bind(**values) -> None:
    structlog.contextvars.bind_contextvars(
        **{key: value for key, value in values.items() if value not in (None, "")}
    )


def current() -> dict:
    """The origin of whatever runs now."""
    bound = structlog.contextvars.get_contextvars()
    return {key: bound[key] for key in TAG_KEYS if bound.get(key) not in (None, "")}


def client_network(address: str | None) -> str | None:
    """The client's network, never its address: /24 for IPv4, /48 for IPv6 (enough to see a
    flood from one provider, too little to name a household)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return None
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
