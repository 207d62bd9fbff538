"""zeep clients for SOAP targets: every request with a timeout, the parsed WSDL kept per URL
(and credentials) for a while, documents only over HTTP(S).

Parsing a WSDL with its schemas costs far more than a delivery, and a back-office system's WSDL
changes with its releases, not per request: a client is reused for `WSDL_SECONDS`
(`PORTALWERK_HANDOVER_SOAP_WSDL_SECONDS`, default 15 minutes), and a tenant admin's save or
check loads it afresh."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from zeep import Client, Settings
from zeep.transports import Transport

from portalwerk.platform.plugins import addresses


def wsdl_seconds() -> int:
    return int(getattr(settings, "PORTALWERK_HANDOVER_SOAP_WSDL_SECONDS", 900))


class DocumentRefused(Exception):
    """A WSDL or schema that names a document somewhere other than over HTTP(S)."""


class _HttpOnlyTransport(Transport):
    """zeep's transport reads `file://` and bare paths too; a WSDL a tenant points us at must
    not make the platform read its own files, so only http and https are fetched."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.session.adapters.pop("file://", None)

    def load(self, url):
        if urlsplit(str(url)).scheme not in ("http", "https"):
            raise DocumentRefused(f"not fetched over HTTP(S): {str(url)[:100]}")
        _refuse_local(url)
        return super().load(url)

    def post(self, address, message, headers):
        # the operation's address comes from the WSDL, not from what the tenant admin typed
        _refuse_local(address)
        return super().post(address, message, headers)


def _refuse_local(url) -> None:
    if addresses.refusal(str(url)):
        raise DocumentRefused(f"local address not allowed: {urlsplit(str(url)).hostname}")


@dataclass(frozen=True)
class Operation:
    """One operation of a loaded WSDL, with what mapping and calling it needs."""

    client: Client
    service_name: str
    port_name: str
    name: str
    request: object  # zeep Element of the request body
    response: object | None  # zeep Element of the answer's body

    def call(self, body: Mapping):
        service = self.client.bind(self.service_name, self.port_name)
        return getattr(service, self.name)(**body)


_cache: dict[str, tuple[float, Client]] = {}
_lock = threading.Lock()


def _key(config: Mapping) -> str:
    raw = "\0".join(
        str(config.get(name) or "") for name in ("wsdl_url", "username", "password", "timeout")
    )
    return hashlib.sha256(raw.encode()).hexdigest()


def client_for(config: Mapping, *, fresh: bool = False) -> Client:
    """The zeep client of a target's WSDL: loaded now when `fresh` or not cached in the last
    `wsdl_seconds()`. Raises what loading raises (requests' errors, zeep's, lxml's)."""
    key = _key(config)
    now = time.monotonic()
    if not fresh:
        with _lock:
            cached = _cache.get(key)
        if cached and cached[0] > now:
            return cached[1]
    timeout = int(config.get("timeout") or 30)
    session = requests.Session()
    if config.get("username"):
        session.auth = (config["username"], config.get("password") or "")
    transport = _HttpOnlyTransport(session=session, timeout=timeout, operation_timeout=timeout)
    # Schemas a WSDL imports are fetched (real ones split into several files): so not
    # `forbid_external`; the transport keeps them to HTTP(S), DTDs and entities stay forbidden.
    client = Client(
        config["wsdl_url"],
        transport=transport,
        settings=Settings(strict=True, forbid_dtd=True, forbid_entities=True),
    )
    with _lock:
        _cache[key] = (now + wsdl_seconds(), client)
    return client


def forget() -> None:
    with _lock:
        _cache.clear()


def operation(client: Client, name: str) -> Operation | None:
    """The operation `name` on the first port that offers it, or None."""
    for service in client.wsdl.services.values():
        for port in service.ports.values():
            found = port.binding.all().get(name)
            if found is not None and found.input is not None:
                body = found.input.body
                answer = found.output.body if found.output is not None else None
                return Operation(client, service.name, port.name, name, body, answer)
    return None


def operation_names(client: Client) -> list[str]:
    return sorted(
        {
            name
            for service in client.wsdl.services.values()
            for port in service.ports.values()
            for name in port.binding.all()
        }
    )
