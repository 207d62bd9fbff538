"""Answering the portal as a back-office system does: a signed JSON POST to the status
endpoint the parcel named (`Parcel.status_url`), keyed with the target's callback secret."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx
from django_tenants.utils import schema_context

from portalwerk.platform.handover import signing

TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Outcome:
    accepted: bool
    http_status: int | None
    detail: str  # technical, for the operator: the status line or the connection problem


def body_of(answer) -> bytes:
    """The answer as the endpoint reads it; the same bytes on every attempt of one answer
    (the event id makes a repeated one change nothing)."""
    data = {
        "delivery": answer.parcel.idempotency_key,
        "event_id": str(answer.event_id),
        "case_number": answer.case_number,
    }
    if answer.status:
        data["status"] = answer.status
    if answer.message:
        data["message"] = answer.message
    if answer.document_name:
        data["document"] = {
            "name": answer.document_name,
            "content_type": answer.document_type,
            "content_base64": base64.b64encode(bytes(answer.document)).decode("ascii"),
        }
    return json.dumps(data, ensure_ascii=False).encode()


def callback_secret(parcel) -> str | None:
    """The target's secret. A real back-office system is given it by the tenant admin; the
    stand-in runs in the same installation and reads it from the tenant's own target (an
    explicit read across schemas, of this one value)."""
    from portalwerk.platform.handover.models import Target

    with schema_context(parcel.tenant_schema):
        return (
            Target.objects.filter(pk=parcel.target_id)
            .values_list("callback_secret", flat=True)
            .first()
        )


def _loopback(url: str) -> tuple[str, dict[str, str]]:
    """Hosts under `localhost` (the demo's `<slug>.localhost:8000`) are this machine, but not
    every resolver knows subdomains of localhost: those go to 127.0.0.1 with the Host header."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host != "localhost" and not host.endswith(".localhost"):
        return url, {}
    netloc = "127.0.0.1" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc)), {"Host": parts.netloc}


def send(answer) -> Outcome:
    secret = callback_secret(answer.parcel)
    if not secret:
        return Outcome(False, None, "the target no longer exists in the portal")
    body = body_of(answer)
    url, headers = _loopback(answer.parcel.status_url)
    headers |= {"Content-Type": "application/json", signing.HEADER: signing.sign(body, secret)}
    try:
        response = httpx.post(
            url, content=body, headers=headers, timeout=TIMEOUT_SECONDS, follow_redirects=False
        )
    except httpx.TimeoutException:
        return Outcome(False, None, "no answer in time")
    except httpx.HTTPError as error:
        return Outcome(False, None, f"{type(error).__name__}: {error}"[:300])
    detail = f"HTTP {response.status_code} {response.reason_phrase}"
    return Outcome(response.is_success, response.status_code, detail)
