"""What clerks do with deliveries: try a failed one again, send a delivered one again.

Both act only on a delivery at rest (failed, delivered), under a row lock, so they never race
the `deliver` job (which only finishes a delivery it claimed while "sending") nor each other:
of twenty clicks on "Try again", one schedules a job and nineteen are told it is on its way."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.authz.capabilities import Capability, require
from portalwerk.platform.handover import outbox
from portalwerk.platform.handover.errors import HandoverErrorCode
from portalwerk.platform.handover.models import Delivery, DeliveryStatus
from portalwerk.platform.handover.queries import get_delivery_for, recount_dead_letters


@transaction.atomic
def retry_delivery(*, actor: Actor, delivery_id) -> Delivery:
    """A failed delivery goes out once more, now, with the same idempotency key (a receiver
    that stored it after all recognises it). It keeps its attempts: should this attempt fail
    too, it is failed again at once, and the clerk sees why."""
    delivery = get_delivery_for(actor, delivery_id, for_update=True)
    require(actor, Capability.RETRY_DELIVERIES)
    if delivery.status != DeliveryStatus.FAILED:
        raise HandoverErrorCode.NOT_FAILED.error(
            _("Only a failed delivery can be tried again; this one is %(status)s.")
            % {"status": delivery.get_status_display()}
        )
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "next_attempt_at"])
    outbox.schedule(delivery)
    recount_dead_letters()
    record(
        actor,
        Action.DELIVERY_RETRIED,
        delivery.submission,
        delivery=delivery.pk,
        target=delivery.target_id,
        attempts=delivery.attempts,
        problem=delivery.last_problem,
    )
    return delivery


@transaction.atomic
def resend_delivery(*, actor: Actor, delivery_id) -> Delivery:
    """A delivered delivery goes out again as a new parcel: a new idempotency key, so that the
    receiver takes it again instead of recognising it (it lost it, or asks for it again). The
    old key stays in the audit entry; links to files sent with the old parcel stop working."""
    delivery = get_delivery_for(actor, delivery_id, for_update=True)
    require(actor, Capability.RETRY_DELIVERIES)
    if delivery.status != DeliveryStatus.DELIVERED:
        raise HandoverErrorCode.NOT_DELIVERED.error(
            _("Only a delivered delivery can be sent again; this one is %(status)s.")
            % {"status": delivery.get_status_display()}
        )
    previous = delivery.key
    delivery.key = uuid.uuid4()
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.delivered_at = None
    delivery.next_attempt_at = None
    delivery.last_problem = ""
    delivery.last_detail = ""
    delivery.save(
        update_fields=[
            "key",
            "status",
            "attempts",
            "delivered_at",
            "next_attempt_at",
            "last_problem",
            "last_detail",
        ]
    )
    outbox.schedule(delivery)
    record(
        actor,
        Action.DELIVERY_RESENT,
        delivery.submission,
        delivery=delivery.pk,
        target=delivery.target_id,
        previous_key=str(previous),
        key=str(delivery.key),
    )
    return delivery
