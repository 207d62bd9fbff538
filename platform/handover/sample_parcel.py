"""The made-up parcel "send a test" delivers: it looks like a real one to a backend (answers,
a receipt PDF, an attachment) but holds nobody's data and says `test=True`."""

from __future__ import annotations

import hashlib

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portalwerk.platform.handover.parcel import Answer, Parcel, ParcelFile
from portalwerk.tenants.current import current_tenant

# A one-page PDF with no content: enough for a receiver that checks what it gets is a PDF.
BLANK_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _file(name: str, data: bytes, **extra) -> ParcelFile:
    return ParcelFile(
        name=name,
        kind="pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        read=lambda: data,
        **extra,
    )


def sample_parcel(target, *, key: str) -> Parcel:
    tenant = current_tenant()
    reference = f"TEST-{key[:8].upper()}"
    answers = {"first_name": "Erika", "last_name": "Mustermann", "note": _("This is a test.")}
    return Parcel(
        idempotency_key=key,
        delivery_id=0,
        target_id=target.pk,
        tenant_schema=tenant.schema_name,
        tenant_name=tenant.name,
        reference=reference,
        form_slug="portalwerk-test",
        form_title=_("Test application"),
        form_version=1,
        language=(get_language() or "de")[:2],
        submitted_at=timezone.now(),
        applicant_name="Erika Mustermann",
        applicant_email="erika.mustermann@example.org",
        answers=answers,
        answer_list=(
            Answer(key="first_name", label=_("First name"), text="Erika"),
            Answer(key="last_name", label=_("Last name"), text="Mustermann"),
            Answer(key="note", label=_("Note"), text=answers["note"]),
        ),
        receipt=_file(f"{reference}.pdf", BLANK_PDF),
        files=(_file("test.pdf", BLANK_PDF, field_key="attachment", upload_id=key),),
        test=True,
    )
