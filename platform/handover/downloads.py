"""Signed download links to a delivery's files, for receivers that fetch files rather than
take them inline (a webhook) and for mails whose attachments would be too large. A link names
one file of one delivery, expires, and works only while the submission and its file exist."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from portalwerk.tenants.current import current_tenant_url

SALT = "portalwerk.handover.download"
LIFETIME_SECONDS = 14 * 24 * 3600  # a back office may fetch days later (a weekend, a holiday)
RECEIPT = "receipt"


def link_for(delivery_key: str, file_id: str) -> str:
    """Absolute URL on the tenant's host; `file_id` is an upload's UUID or RECEIPT."""
    token = signing.dumps([str(delivery_key), file_id], salt=SALT, compress=True)
    return current_tenant_url(reverse("handover:download", args=[token]))


def read_token(token: str) -> tuple[str, str] | None:
    try:
        key, file_id = signing.loads(token, salt=SALT, max_age=LIFETIME_SECONDS)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return str(key), str(file_id)
