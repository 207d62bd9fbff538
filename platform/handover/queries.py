"""Reads of hand-over for the back office and the API: one delivery or target by id inside the
actor's rights (one uniform "not found"), and the lists pages show, already joined."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.authz.capabilities import can_manage_targets, can_view_deliveries
from portalwerk.platform.handover.errors import HandoverErrorCode
from portalwerk.platform.handover.models import Delivery, DeliveryStatus, Target
from portalwerk.platform.operations.tallies import record_dead_letters


def _not_found(what: str):
    return HandoverErrorCode.NOT_FOUND.error(what)


def _id(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def recount_dead_letters() -> int:
    """Count this tenant's deliveries that failed for good into the installation's tally
    (operations), which readiness and metrics read instead of every tenant's schema."""
    failed = Delivery.objects.filter(status=DeliveryStatus.FAILED).count()
    record_dead_letters(failed)
    return failed


def deliveries() -> QuerySet[Delivery]:
    return Delivery.objects.select_related("target", "submission")


def deliveries_of(submission_id: int) -> QuerySet[Delivery]:
    """The deliveries of one submission, for a caller that has already opened it."""
    return deliveries().filter(submission_id=submission_id).order_by("target__name", "pk")


def dead_letters() -> QuerySet[Delivery]:
    """Every failed delivery, the most recent attempt first."""
    return (
        deliveries()
        .filter(status=DeliveryStatus.FAILED)
        .order_by("-last_attempt_at", "-pk")
        .select_related("submission__form")
    )


def get_delivery_for(actor: Actor, delivery_id, *, for_update: bool = False) -> Delivery:
    if not can_view_deliveries(actor) or _id(delivery_id) is None:
        raise _not_found(_("This delivery does not exist."))
    rows = Delivery.objects.select_related("target", "submission")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    delivery = rows.filter(pk=_id(delivery_id)).first()
    if delivery is None:
        raise _not_found(_("This delivery does not exist."))
    return delivery


def targets() -> QuerySet[Target]:
    return Target.objects.prefetch_related("forms").order_by("-is_active", "name", "pk")


def get_target_for(actor: Actor, target_id, *, for_update: bool = False) -> Target:
    if not can_manage_targets(actor) or _id(target_id) is None:
        raise _not_found(_("This target does not exist."))
    rows = Target.objects.select_for_update() if for_update else Target.objects
    target = rows.filter(pk=_id(target_id)).first()
    if target is None:
        raise _not_found(_("This target does not exist."))
    return target


def described(rows) -> list[Delivery]:
    """The deliveries with their last problem in plain words (`problem_text`), for pages."""
    from portalwerk.platform.handover.backends import describe

    rows = list(rows)
    for delivery in rows:
        delivery.problem_text = describe(delivery.last_problem) if delivery.last_problem else ""
    return rows
