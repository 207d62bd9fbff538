"""Jobs of the payments app. Each runs in the tenant's schema (passed explicitly) and is
idempotent."""

from __future__ import annotations

from django.utils.translation import gettext as _
from procrastinate.contrib.django import app

from portalwerk.platform import mail
from portalwerk.platform.jobs import tenant_task


@tenant_task(queue="handover", retry=5)
def hand_over_submission(*, submission_id: int) -> str | None:
    """The submission has been released to the office (its fee paid, or the form hands over
    before payment): it now shows in the clerk inbox, and the citizen is told when the fee was
    paid. Delivery to back-office systems (the hand-over plugins) starts from here too."""
    from portalwerk.billing.payments.models import HandOver, PaymentStatus
    from portalwerk.platform.forms.receipts import format_fee

    hand_over = (
        HandOver.objects.select_related("submission", "payment")
        .filter(submission_id=submission_id, handed_over_at__isnull=False)
        .first()
    )
    if hand_over is None:
        return None
    submission = hand_over.submission
    payment = hand_over.payment
    if (
        payment is not None
        and payment.status == PaymentStatus.PAID
        and submission.email
        and not submission.anonymised_at
    ):
        mail.send(
            idempotency_key=f"payment-received:{payment.pk}",
            to=submission.email,
            language=submission.language,
            subject=lambda: (
                _("Payment received for your application %(reference)s")
                % {"reference": submission.reference}
            ),
            body=lambda: (
                _(
                    "We have received your payment of %(amount)s (payment reference %(payment)s). "
                    "Your application %(reference)s is now with the office.\n"
                )
                % {
                    "amount": format_fee(payment.amount_cents),
                    "payment": payment.reference,
                    "reference": submission.reference,
                }
            ),
        )
    return submission.reference


@tenant_task(queue="mail", retry=5)
def send_refund_mail(*, refund_id: str) -> str | None:
    """Tell the citizen that (part of) their fee is being paid back, with the reason the clerk
    gave; sent once per refund."""
    from portalwerk.billing.payments.models import Refund
    from portalwerk.platform.forms.receipts import format_fee

    refund = Refund.objects.select_related("payment__submission").filter(pk=refund_id).first()
    submission = refund.payment.submission if refund is not None else None
    if submission is None or not submission.email or submission.anonymised_at:
        return None
    payment = refund.payment

    def body() -> str:
        text = _(
            "We are paying back %(amount)s of the fee for your application %(reference)s "
            "(payment reference %(payment)s). The money goes back the way you paid; it can take "
            "a few working days to arrive.\n"
        ) % {
            "amount": format_fee(refund.amount_cents),
            "reference": submission.reference,
            "payment": payment.reference,
        }
        return text + _("Reason: %(reason)s\n") % {"reason": refund.reason}

    return mail.send(
        idempotency_key=f"payment-refunded:{refund.pk}",
        to=submission.email,
        language=submission.language,
        subject=lambda: (
            _("Refund for your application %(reference)s") % {"reference": submission.reference}
        ),
        body=body,
    )


@app.periodic(cron="*/10 * * * *")
@app.task(queue="payments", queueing_lock="payments.flag_blocked_hand_overs")
def flag_blocked_hand_overs(timestamp: int) -> dict[str, int]:
    """Every ten minutes, in every active tenant: flag the hand-overs held for a fee that no
    provider can take any more (an account disconnected or deleted, a plugin switched off),
    so they show in the clerk inbox; unflag them once paying works again."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from portalwerk.billing.payments import availability
    from portalwerk.tenants.models import Tenant, TenantStatus

    with schema_context("public"):
        schemas = list(
            Tenant.objects.exclude(schema_name="public")
            .filter(status=TenantStatus.ACTIVE)
            .values_list("schema_name", flat=True)
        )
    flagged = {}
    for schema in schemas:
        with schema_context(schema):
            flagged[schema] = availability.flag_blocked_hand_overs()
    connection.set_schema_to_public()
    return flagged
