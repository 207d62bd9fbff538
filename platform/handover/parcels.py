"""Building the `Parcel` a backend delivers, from a delivery and its submission."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from portalwerk.platform.forms.models import Submission
from portalwerk.platform.forms.uploads import storage
from portalwerk.platform.handover.models import Delivery
from portalwerk.platform.handover.parcel import Answer, Parcel, ParcelFile
from portalwerk.tenants.current import current_tenant, current_tenant_url


def _read_upload(stored_name: str):
    def read() -> bytes:
        with storage().open(stored_name, "rb") as handle:
            return handle.read()

    return read


def answer_list(submission: Submission, language: str | None = None) -> tuple[Answer, ...]:
    language = language or submission.language
    names = {str(k): v for k, v in submission.uploads.values_list("id", "name")}
    with translation.override(language):
        sections = submission.version.spec.summary(submission.answers, language, names)
    return tuple(
        Answer(
            key=row.get("path") or row.get("key", ""), label=row["label"], text=row["value"] or ""
        )
        for section in sections
        for row in section["rows"]
    )


def parcel_of(delivery: Delivery) -> Parcel:
    submission = delivery.submission
    tenant = current_tenant()
    receipt = getattr(submission, "receipt", None)
    receipt_file = None
    if receipt is not None:
        pdf = bytes(receipt.pdf)
        receipt_file = ParcelFile(
            name=f"{submission.reference}.pdf",
            kind="pdf",
            size=len(pdf),
            sha256=receipt.sha256 or hashlib.sha256(pdf).hexdigest(),
            read=lambda: pdf,
        )
    files = tuple(
        ParcelFile(
            name=upload.name,
            kind=upload.kind,
            size=upload.size,
            sha256=upload.sha256,
            read=_read_upload(upload.stored_name),
            field_key=upload.field_key,
            upload_id=str(upload.pk),
        )
        for upload in submission.uploads.order_by("created_at", "pk")
    )
    return Parcel(
        idempotency_key=str(delivery.key),
        delivery_id=delivery.pk,
        target_id=delivery.target_id,
        tenant_schema=tenant.schema_name,
        tenant_name=tenant.name,
        reference=submission.reference,
        form_slug=submission.form.slug,
        form_title=submission.form.title_text(submission.language),
        form_version=submission.version.number,
        language=submission.language,
        submitted_at=submission.submitted_at,
        applicant_name=submission.applicant_name,
        applicant_email=submission.email,
        answers=submission.answers,
        answer_list=answer_list(submission),
        receipt=receipt_file,
        files=files,
        fee_cents=submission.fee_cents,
        payment_reference=delivery.payment_reference,
        payment_status=delivery.payment_status,
        status_url=status_url(delivery.target_id),
        office_form_title=submission.form.title_text(settings.LANGUAGE_CODE),
        office_answer_list=answer_list(submission, settings.LANGUAGE_CODE),
        applicant_identity=dict(submission.identity or {}),
    )


def status_url(target_id: int) -> str:
    """Where the receiving system of a target reports back (answers back), on the tenant's
    host: the same for every delivery to the target; the body names the delivery."""
    return current_tenant_url(reverse("handover:status", args=[target_id]))
