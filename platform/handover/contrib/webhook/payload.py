"""The JSON a webhook receiver gets: schema `portalwerk.submission/1`, described field by field
in docs/handover/webhook.md and as a JSON Schema in docs/handover/submission-1.schema.json.

A new field may be added within version 1 (receivers ignore what they do not know); renaming,
removing or retyping one makes version 2."""

from __future__ import annotations

import base64
import json

from portalwerk.platform.handover.downloads import RECEIPT, link_for
from portalwerk.platform.handover.parcel import Parcel, ParcelFile

SCHEMA = "portalwerk.submission/1"
CURRENCY = "EUR"


def _file(parcel: Parcel, file: ParcelFile, *, inline: bool) -> dict:
    entry = {
        "name": file.name,
        "kind": file.kind,
        "size": file.size,
        "sha256": file.sha256,
        "field": file.field_key,
    }
    if inline:
        entry["content_base64"] = base64.b64encode(file.read()).decode("ascii")
    else:
        entry["url"] = link_for(parcel.idempotency_key, file.upload_id or RECEIPT)
    return entry


def payload_of(parcel: Parcel, *, inline: bool) -> dict:
    return {
        "schema": SCHEMA,
        "test": parcel.test,
        "idempotency_key": parcel.idempotency_key,
        "authority": parcel.tenant_name,
        "reference": parcel.reference,
        "form": {
            "slug": parcel.form_slug,
            "title": parcel.form_title,
            "version": parcel.form_version,
        },
        "language": parcel.language,
        "submitted_at": parcel.submitted_at.isoformat(),
        "applicant": {
            "name": parcel.applicant_name,
            "email": parcel.applicant_email,
            "identity": parcel.applicant_identity,
        },
        "answers": {
            "raw": parcel.answers,
            "labelled": [
                {"key": answer.key, "label": answer.label, "text": answer.text}
                for answer in parcel.answer_list
            ],
        },
        "files": [_file(parcel, file, inline=inline) for file in parcel.files],
        "receipt": _file(parcel, parcel.receipt, inline=inline) if parcel.receipt else None,
        "fee": {
            "amount_cents": parcel.fee_cents,
            "currency": CURRENCY,
            "payment_reference": parcel.payment_reference,
            "payment_status": parcel.payment_status,
        },
        "status_url": parcel.status_url,
    }


def body_of(payload: dict) -> bytes:
    """The exact bytes that are signed and sent (receivers verify these, not a re-encoding)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str).encode()
