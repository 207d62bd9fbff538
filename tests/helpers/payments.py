"""Payments for the tests of every area that needs them (`tests.helpers.payments`)."""

from __future__ import annotations

from tests.helpers.forms import delete_forms_data


def delete_payments_data() -> None:
    """Remove every payment (with its provider's checkouts, events, hand-overs and audit trail)
    and every form with its submissions of the current schema: the clean-up of tests that
    committed them (`live_db`)."""
    from portalwerk.billing.payments.models import (
        FeeAccount,
        HandOver,
        Payment,
        PaymentReferenceSequence,
        ProviderEventRecord,
        StatusChange,
    )
    from portalwerk.billing.providers.contrib.demo.models import DemoCheckout
    from portalwerk.platform.audit.models import Entry as AuditEntry

    for model in (
        AuditEntry,
        ProviderEventRecord,
        StatusChange,
        HandOver,
        Payment,
        DemoCheckout,
        FeeAccount,
        PaymentReferenceSequence,
    ):
        model.objects.all().delete()
    delete_forms_data()
