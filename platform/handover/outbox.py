"""Writing deliveries (in the submit transaction) and letting held ones go. Nothing here talks
to a receiver: sending is the `deliver` job's (`sending.py`), so a submit never waits for one."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.forms.models import Submission
from portalwerk.platform.handover.models import Delivery, DeliveryStatus, Target
from portalwerk.platform.jobs import defer_for_tenant


def targets_for(submission: Submission) -> list[Target]:
    return list(
        Target.objects.filter(is_active=True)
        .filter(Q(all_forms=True) | Q(forms=submission.form_id))
        .distinct()
    )


@transaction.atomic
def open_deliveries(*, actor: Actor, submission: Submission) -> list[Delivery]:
    """One delivery per active target of the submission's form, in the caller's (the
    submit's) transaction. A submission with a fee is held until `release`; one without goes
    at once. Idempotent: a second call adds only deliveries to targets that are new. The rows
    and their jobs are written in one statement each, so a submit to ten targets costs what a
    submit to one costs."""
    held = submission.fee_cents > 0
    status = DeliveryStatus.HELD if held else DeliveryStatus.PENDING
    targets = targets_for(submission)
    if not targets:
        return []
    have = set(Delivery.objects.filter(submission=submission).values_list("target_id", flat=True))
    new = [
        Delivery(submission=submission, target=target, status=status)
        for target in targets
        if target.pk not in have
    ]
    if not new:
        return []
    try:
        with transaction.atomic():
            made = Delivery.objects.bulk_create(new)
    except IntegrityError:  # a concurrent call made some of them a moment ago
        made = []
        for target in targets:
            delivery, created = Delivery.objects.get_or_create(
                submission=submission, target=target, defaults={"status": status}
            )
            if created:
                made.append(delivery)
    if not held:
        schedule_all(made, fresh=True)
    return made


@transaction.atomic
def release(*, actor: Actor, submission_id: int, payment_reference: str = "", paid: bool) -> int:
    """The fee of the submission is paid (`paid`), or its form hands over before payment: its
    held deliveries go now. Called by billing in the transaction that records it; idempotent.
    Returns how many were released."""
    held = list(
        Delivery.objects.select_for_update().filter(
            submission_id=submission_id, status=DeliveryStatus.HELD
        )
    )
    Delivery.objects.filter(submission_id=submission_id).update(
        payment_reference=payment_reference, payment_status="paid" if paid else "pending"
    )
    Delivery.objects.filter(pk__in=[d.pk for d in held]).update(status=DeliveryStatus.PENDING)
    schedule_all(held)
    return len(held)


def schedule(delivery: Delivery, *, delay_seconds: int = 0) -> None:
    """Defer the `deliver` job of a delivery, in the current transaction. The queueing lock
    keeps one job of a delivery waiting at a time, however many retries are asked for."""
    from portalwerk.platform.handover import tasks

    task = tasks.deliver.configure(
        queueing_lock=f"deliver:{delivery.key}",
        schedule_in={"seconds": delay_seconds} if delay_seconds else None,
    )
    try:
        with transaction.atomic():
            defer_for_tenant(task, delivery_id=delivery.pk)
    except _already_queued():
        pass  # a job of this delivery is already waiting: it will send it


def schedule_all(deliveries: list[Delivery], *, fresh: bool = False) -> None:
    """`schedule` for many deliveries at once, in one statement (the submit to ten targets).
    Should one of them have a job waiting already, each is deferred on its own instead; a
    `fresh` delivery (made just now) cannot have one, so that case needs no savepoint."""
    from portalwerk.platform.handover import tasks

    if not deliveries:
        return
    schema = connection.schema_name
    if schema == "public":
        raise RuntimeError("schedule_all needs a tenant schema to be active")
    deferrers = [
        tasks.deliver.configure(queueing_lock=f"deliver:{delivery.key}") for delivery in deliveries
    ]
    jobs = [
        deferrer.make_new_job(schema_name=schema, delivery_id=delivery.pk)
        for deferrer, delivery in zip(deferrers, deliveries, strict=True)
    ]
    manager = deferrers[0].job_manager
    if fresh:
        manager.batch_defer_jobs(jobs)
        return
    try:
        with transaction.atomic():
            manager.batch_defer_jobs(jobs)
    except _already_queued():
        for delivery in deliveries:
            schedule(delivery)


def _already_queued():
    from procrastinate.exceptions import AlreadyEnqueued

    return AlreadyEnqueued


def resume_owed() -> int:
    """Defer the job of every delivery that should be on its way and may have none (its job
    row lost, its claim gone stale): the outbox, not the job queue, is the record of what is
    owed, and the queueing lock keeps this from doubling a job that is waiting."""
    import datetime

    from django.conf import settings
    from django.utils import timezone

    late = timezone.now() - datetime.timedelta(seconds=settings.PORTALWERK_HANDOVER_CLAIM_SECONDS)
    owed = Delivery.objects.filter(
        Q(status=DeliveryStatus.PENDING, next_attempt_at__isnull=True, created_at__lt=late)
        | Q(status=DeliveryStatus.PENDING, next_attempt_at__lt=late)
        | Q(status=DeliveryStatus.SENDING, claimed_at__lt=late)
    )
    count = 0
    for delivery in owed.iterator():
        schedule(delivery)
        count += 1
    return count
