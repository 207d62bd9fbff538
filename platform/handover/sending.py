"""Sending one delivery: claim it, hand its parcel to the backend, record what came of it.

The claim is a conditional update, so of any number of jobs and retries of one delivery that
run at once, one sends; the others find it claimed or delivered and stop. The claim is not a
lock held while the receiver is talked to: a job killed mid-send leaves the delivery "sending",
claimed by that job's id, which procrastinate's stalled-job recovery retries under the same id,
so it takes its own claim up again and sends the same parcel (same idempotency key) again."""

from __future__ import annotations

import datetime
import logging
import random

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from portalwerk.platform.handover.backends import Delivered, DeliveryError, Problem
from portalwerk.platform.handover.models import Delivery, DeliveryStatus
from portalwerk.platform.handover.parcels import parcel_of
from portalwerk.platform.handover.queries import recount_dead_letters
from portalwerk.platform.handover.registry import backends
from portalwerk.platform.plugins import PluginUnavailable

logger = logging.getLogger(__name__)


def backoff_seconds(attempts: int) -> int:
    """Exponential back-off with full jitter between half and all of the step, so that many
    deliveries failing together (a receiver down) do not come back together."""
    step = settings.PORTALWERK_HANDOVER_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    step = min(step, settings.PORTALWERK_HANDOVER_BACKOFF_MAX_SECONDS)
    return max(1, round(random.uniform(step / 2, step)))


def claim(delivery_id: int, job_id: int | None) -> Delivery | None:
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=settings.PORTALWERK_HANDOVER_CLAIM_SECONDS)
    claimable = Q(status=DeliveryStatus.PENDING) | Q(
        status=DeliveryStatus.SENDING, claimed_at__lt=stale
    )
    if job_id is not None:
        claimable |= Q(status=DeliveryStatus.SENDING, claimed_by_job=job_id)
    taken = (
        Delivery.objects.filter(pk=delivery_id)
        .filter(claimable)
        .update(
            status=DeliveryStatus.SENDING,
            claimed_by_job=job_id,
            claimed_at=now,
            attempts=F("attempts") + 1,
            last_attempt_at=now,
        )
    )
    if not taken:
        return None
    return Delivery.objects.select_related("target", "submission__form", "submission__version").get(
        pk=delivery_id
    )


def _finish(delivery: Delivery, **fields) -> bool:
    """Record the outcome, if the claim is still ours (a clerk cannot have changed it: retry
    and re-send only act on failed and delivered deliveries)."""
    return bool(
        Delivery.objects.filter(
            pk=delivery.pk, status=DeliveryStatus.SENDING, claimed_at=delivery.claimed_at
        ).update(claimed_by_job=None, claimed_at=None, **fields)
    )


def send(delivery_id: int, *, job_id: int | None) -> str:
    """One attempt; returns the delivery's status afterwards (or "skipped")."""
    from portalwerk.platform.handover.outbox import schedule

    delivery = claim(delivery_id, job_id)
    if delivery is None:
        return "skipped"
    try:
        backend = backends.get(delivery.target.backend)
        result = backend.deliver(parcel_of(delivery), delivery.target.config)
        if not isinstance(result, Delivered):
            raise TypeError(f"{delivery.target.backend} returned {result!r}, not Delivered")
    except DeliveryError as error:
        problem = error
    except PluginUnavailable as error:
        problem = DeliveryError(Problem.CONFIGURATION, str(error), retry=False)
    except Exception as error:  # a fault of ours or of a backend: never lost, never silent
        logger.exception(
            "Hand-over backend %s failed on delivery %s", delivery.target.backend, delivery.pk
        )
        problem = DeliveryError(Problem.INTERNAL, type(error).__name__, retry=True)
    else:
        _finish(
            delivery,
            status=DeliveryStatus.DELIVERED,
            delivered_at=timezone.now(),
            receiver_reference=result.receiver_reference[:200],
            last_problem="",
            last_detail="",
            next_attempt_at=None,
        )
        return DeliveryStatus.DELIVERED
    attempts = delivery.attempts
    if problem.retry and attempts < settings.PORTALWERK_HANDOVER_MAX_ATTEMPTS:
        delay = backoff_seconds(attempts)
        # the next attempt's job is deferred with the state that asks for it, or neither is
        with transaction.atomic():
            if _finish(
                delivery,
                status=DeliveryStatus.PENDING,
                last_problem=problem.problem,
                last_detail=problem.detail,
                next_attempt_at=timezone.now() + datetime.timedelta(seconds=delay),
            ):
                schedule(delivery, delay_seconds=delay)
        return DeliveryStatus.PENDING
    _finish(
        delivery,
        status=DeliveryStatus.FAILED,
        last_problem=problem.problem,
        last_detail=problem.detail,
        next_attempt_at=None,
    )
    recount_dead_letters()
    logger.warning(
        "Delivery %s to target %s failed for good after %d attempt(s): %s",
        delivery.pk,
        delivery.target_id,
        attempts,
        problem,
    )
    return DeliveryStatus.FAILED
