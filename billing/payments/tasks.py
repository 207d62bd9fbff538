"""Jobs of the payments app. Each runs in the tenant's schema (passed explicitly) and is
idempotent."""

from __future__ import annotations

from django.utils.translation import gettext as _

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
