"""The `demo` backend: offline; the receiving system is the demo back office of this very
installation (`models`, `views`), which keeps each parcel once per idempotency key."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from portalwerk.platform.handover.backends import Delivered, HandoverBackend
from portalwerk.platform.handover.parcel import Parcel
from portalwerk.platform.handover.registry import backends


def status_url_of(parcel: Parcel) -> str:
    """Where the back office answers. The parcel says so; a parcel of a build that does not
    fill it in yet gets the endpoint's documented address on the tenant's host."""
    if parcel.status_url:
        return parcel.status_url
    from portalwerk.tenants.current import current_tenant_url

    return current_tenant_url(f"/handover/status/{parcel.target_id}/")


@backends.register("demo")
class DemoBackend(HandoverBackend):
    label = "Demo-Fachverfahren"
    demo = True
    # the operator's pages, on the base host; routed only while the plugin is enabled
    public_urls = ("demo-backoffice/", "portalwerk.platform.handover.contrib.demo.urls")

    def deliver(self, parcel: Parcel, config: Mapping) -> Delivered:
        from portalwerk.platform.handover.contrib.demo.models import DemoParcel

        stored = DemoParcel.objects.filter(idempotency_key=parcel.idempotency_key).first()
        if stored is None:
            try:
                stored = _store(parcel)
            except IntegrityError:  # another attempt of the same delivery stored it just now
                stored = DemoParcel.objects.get(idempotency_key=parcel.idempotency_key)
            else:
                return Delivered(receiver_reference=stored.case_number)
        DemoParcel.objects.filter(pk=stored.pk).update(
            times_received=F("times_received") + 1, last_received_at=timezone.now()
        )
        return Delivered(receiver_reference=stored.case_number)


@transaction.atomic
def _store(parcel: Parcel):
    from portalwerk.platform.handover.contrib.demo.models import DemoFile, DemoParcel

    stored = DemoParcel.objects.create(
        idempotency_key=parcel.idempotency_key,
        tenant_schema=parcel.tenant_schema,
        tenant_name=parcel.tenant_name,
        target_id=parcel.target_id,
        reference=parcel.reference,
        form_slug=parcel.form_slug,
        form_title=parcel.form_title,
        language=parcel.language,
        submitted_at=parcel.submitted_at,
        applicant_name=parcel.applicant_name,
        applicant_email=parcel.applicant_email,
        answers=[[answer.label, answer.text] for answer in parcel.answer_list],
        fee_cents=parcel.fee_cents,
        payment_reference=parcel.payment_reference,
        payment_status=parcel.payment_status,
        status_url=status_url_of(parcel),
        test=parcel.test,
    )
    files = [(parcel.receipt, True)] if parcel.receipt is not None else []
    files += [(file, False) for file in parcel.files]
    DemoFile.objects.bulk_create(
        DemoFile(
            parcel=stored,
            name=file.name,
            kind=file.kind,
            size=file.size,
            sha256=file.sha256,
            content=file.read(),
            is_receipt=is_receipt,
        )
        for file, is_receipt in files
    )
    return stored
