"""The webhook backend: POST the parcel as signed JSON; map the receiver's answer to what the
outbox does next (delivered, try again later, or stop and tell a clerk)."""

from __future__ import annotations

import socket
from collections.abc import Mapping
from urllib.parse import urlsplit

import requests
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portalwerk.platform.handover import signing
from portalwerk.platform.handover.backends import (
    Delivered,
    DeliveryError,
    HandoverBackend,
    Problem,
)
from portalwerk.platform.handover.contrib.webhook.config import (
    DEFAULT_TIMEOUT_SECONDS,
    FILES_INLINE,
    MAX_TIMEOUT_SECONDS,
    WebhookConfigForm,
)
from portalwerk.platform.handover.contrib.webhook.payload import body_of, payload_of
from portalwerk.platform.handover.parcel import Parcel
from portalwerk.platform.handover.registry import backends
from portalwerk.platform.plugins import addresses

#: a receiver that takes longer than this to accept the connection is taken for unreachable
CONNECT_TIMEOUT_SECONDS = 5
CHECK_TIMEOUT_SECONDS = 3
USER_AGENT = "Portalwerk-Webhook/1"


def _timeouts(config: Mapping) -> tuple[float, float]:
    read = config.get("timeout_seconds") or DEFAULT_TIMEOUT_SECONDS
    read = max(1, min(int(read), MAX_TIMEOUT_SECONDS))
    return min(CONNECT_TIMEOUT_SECONDS, read), read


def outcome(status: int, answer: object) -> Delivered:
    """What an HTTP status (and a 2xx answer's JSON, if any) means for the delivery."""
    if 200 <= status < 300:
        reference = ""
        if isinstance(answer, dict):
            found = answer.get("reference") or answer.get("case_number") or ""
            reference = str(found) if isinstance(found, str | int) else ""
        return Delivered(receiver_reference=reference)
    detail = f"HTTP {status}"
    if status == 408:
        raise DeliveryError(Problem.TIMEOUT, detail, retry=True)
    if status in (425, 429) or status >= 500:
        raise DeliveryError(Problem.RECEIVER_ERROR, detail, retry=True)
    if status in (401, 403):
        raise DeliveryError(Problem.UNAUTHORISED, detail, retry=False)
    if status == 413:
        raise DeliveryError(Problem.TOO_LARGE, detail, retry=False)
    # 3xx (we follow no redirects: the signed body must reach the address given) and 4xx
    raise DeliveryError(Problem.REFUSED, detail, retry=False)


def _answer_json(response: requests.Response) -> object:
    if not response.headers.get("Content-Type", "").startswith("application/json"):
        return None
    try:
        return response.json()
    except ValueError:
        return None


@backends.register("webhook")
class WebhookBackend(HandoverBackend):
    label = gettext_lazy("Webhook (JSON over HTTPS)")
    config_form = WebhookConfigForm
    secret_fields = ("secret",)

    def deliver(self, parcel: Parcel, config: Mapping) -> Delivered:
        url, secret = config.get("url"), config.get("secret")
        if not url or not secret:
            raise DeliveryError(Problem.CONFIGURATION, "url or secret missing", retry=False)
        if addresses.refusal(url):  # checked again: a name can point elsewhere since
            raise DeliveryError(Problem.CONFIGURATION, "address not allowed", retry=False)
        body = body_of(payload_of(parcel, inline=config.get("files") == FILES_INLINE))
        headers = {
            "Content-Type": "application/json",
            signing.HEADER: signing.sign(body, secret),
            "Idempotency-Key": parcel.idempotency_key,
            "User-Agent": USER_AGENT,
        }
        try:
            response = requests.post(
                url, data=body, headers=headers, timeout=_timeouts(config), allow_redirects=False
            )
        except requests.exceptions.ConnectTimeout as error:
            raise DeliveryError(Problem.UNREACHABLE, type(error).__name__) from None
        except requests.exceptions.Timeout as error:
            raise DeliveryError(Problem.TIMEOUT, type(error).__name__) from None
        except requests.exceptions.ConnectionError as error:
            raise DeliveryError(Problem.UNREACHABLE, type(error).__name__) from None
        except requests.exceptions.InvalidURL as error:
            raise DeliveryError(Problem.CONFIGURATION, type(error).__name__, retry=False) from None
        with response:
            return outcome(response.status_code, _answer_json(response))

    def check_target(self, config: Mapping) -> list[str]:
        parts = urlsplit(config.get("url") or "")
        host = parts.hostname
        if not host:
            return [_("The address is missing or incomplete.")]
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            return [
                _("The name %(host)s cannot be found (DNS); check the address.") % {"host": host}
            ]
        family, kind, proto, _name, address = addresses[0]
        try:
            with socket.socket(family, kind, proto) as probe:
                probe.settimeout(CHECK_TIMEOUT_SECONDS)
                probe.connect(address)
        except OSError:
            return [
                _(
                    "Nothing answers at %(host)s, port %(port)s: the receiving system is down or "
                    "a firewall is in the way."
                )
                % {"host": host, "port": port}
            ]
        return []
