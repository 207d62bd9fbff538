"""Which network addresses a plugin may be pointed at by a tenant admin (a hand-over target, a
data source). It must not be the platform's own machine (loopback), the cloud's metadata
service (link-local) or an address that means "anything", or a tenant's setting could reach
what only the platform itself should. Private networks stay allowed: that is where a data
centre's back-office systems and registers live. Development and tests, whose servers run
beside the portal, switch the rule off with PORTALWERK_ALLOW_LOCAL_ADDRESSES."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


def _forbidden(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast


def refusal(url: str) -> str | None:
    """Why `url` may not be given to a plugin, in a sentence for a tenant admin; None when it
    may (or its name cannot be resolved now: that is for the plugin's own check to say)."""
    if settings.PORTALWERK_ALLOW_LOCAL_ADDRESSES:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return _("The address points at the portal's own machine; enter the receiving system's.")
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError):
        return None
    if any(_forbidden(info[4][0]) for info in infos):
        return _(
            "The address points at the portal's own machine or network; "
            "enter the receiving system's."
        )
    return None
