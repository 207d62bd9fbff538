"""Where a request came from, for rate limits and sign-in records."""

from __future__ import annotations

import ipaddress


def client_ip(request, default: str | None = None) -> str | None:
    """The address the request came from, or `default`. REMOTE_ADDR only: a proxy in front must
    set it (gunicorn --forwarded-allow-ips); a forwarded-for header is not trusted here, since any
    client can send one."""
    if request is None:
        return default
    value = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return default
