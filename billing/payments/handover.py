"""Handing a submission with a fee over to the office: held until paid, or at once and marked
"payment pending", as its fee account says."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from portalwerk.billing.payments.booking import hand_over_policy
from portalwerk.billing.payments.models import HandOver, HandOverPolicy, Payment
from portalwerk.platform.authz.actors import Actor, system
from portalwerk.platform.forms.models import Submission
from portalwerk.platform.handover import outbox
from portalwerk.tenants.models import Module
from portalwerk.tenants.modules import is_on


@transaction.atomic
def prepare_submission(*, actor: Actor, submission: Submission) -> HandOver | None:
    """Right after a submission with a fee was made: decide its hand-over. With the form's
    policy "after payment" it is held until paid; "immediately" hands it over now, marked
    "payment pending". A tenant with e-payment switched off cannot be paid online, so its
    submissions are handed over at once, "payment pending", as with "immediately". Idempotent.
    The forms submit service calls it in the submit transaction (PORTALWERK_AFTER_SUBMIT)."""
    if submission.fee_cents <= 0:
        return None
    existing = HandOver.objects.filter(submission=submission).first()
    if existing is not None:
        return existing
    immediately = hand_over_policy(submission) == HandOverPolicy.IMMEDIATELY or not is_on(
        Module.PAYMENTS
    )
    # get_or_create: a concurrent request (a double click) may have made it a moment ago
    hand_over, created = HandOver.objects.get_or_create(
        submission=submission,
        defaults={"held": not immediately, "payment_pending": immediately},
    )
    if created and immediately:
        _hand_over(hand_over, payment=None)
        hand_over.refresh_from_db()
    return hand_over


def _hand_over(hand_over: HandOver, payment: Payment | None) -> bool:
    """Hand the submission over exactly once (conditional update, in the caller's
    transaction); defers the hand-over job. Returns whether it happened now."""
    from portalwerk.billing.payments import tasks
    from portalwerk.platform.jobs import defer_for_tenant

    now = timezone.now()
    changed = HandOver.objects.filter(pk=hand_over.pk, handed_over_at__isnull=True).update(
        held=False, handed_over_at=now, payment=payment
    )
    if changed:
        defer_for_tenant(tasks.hand_over_submission, submission_id=hand_over.submission_id)
        outbox.release(
            actor=system("payments.hand_over"),
            submission_id=hand_over.submission_id,
            payment_reference=payment.reference if payment else "",
            paid=payment is not None,
        )
    return bool(changed)


def _on_paid(payment: Payment) -> None:
    if payment.submission_id is None:
        return  # purged meanwhile: nothing to hand over
    hand_over, _created = HandOver.objects.get_or_create(
        submission_id=payment.submission_id, defaults={"held": True}
    )
    if hand_over.handed_over_at is None:
        _hand_over(hand_over, payment)
    HandOver.objects.filter(pk=hand_over.pk).update(payment_pending=False, payment=payment)
