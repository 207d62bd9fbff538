"""Cancelling an appointment or releasing a hold, by its citizen or a clerk."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portalwerk.platform.appointments.errors import Code, error
from portalwerk.platform.appointments.models import (
    ACTIVE_STATUSES,
    Appointment,
    OfficeBookingPolicy,
    Slot,
    Status,
)
from portalwerk.platform.appointments.services.actors import _audit, _for_office, _require_manager
from portalwerk.platform.appointments.services.followups import _defer_mail
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.operations.metrics import APPOINTMENTS, count_on_commit
from portalwerk.tenants.models import Module
from portalwerk.tenants.modules import require_module


def _rules(office_id: int) -> OfficeBookingPolicy:
    """The office's booking rules; the defaults when they have been deleted since."""
    return OfficeBookingPolicy.objects.filter(office_id=office_id).first() or OfficeBookingPolicy()


def cancel_appointment(*, actor: Actor, appointment: Appointment, now=None) -> Appointment:
    """Cancel (or release a hold). A cancelled confirmed time stays blocked for the office's
    `cancel_block_minutes`, so it cannot be handed on ("appointment trading"). Citizens
    cancel only while the module is on; clerks still can, to clear what is left."""
    if not _for_office(actor):
        require_module(Module.APPOINTMENTS)
    with transaction.atomic():
        now = now or timezone.now()
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        clerk = _for_office(actor)
        if clerk:
            _require_manager(actor)
        if appointment.status == Status.CANCELLED:
            return appointment
        if appointment.status not in ACTIVE_STATUSES:
            raise error(_("This appointment can no longer be cancelled."), Code.NOT_ACTIVE)
        if appointment.starts_at <= now and not clerk:
            raise error(_("This appointment has already begun."), Code.ALREADY_PAST)
        was_confirmed = appointment.status == Status.CONFIRMED
        block = _rules(appointment.office_id).cancel_block_minutes
        blocked = now + dt.timedelta(minutes=block) if was_confirmed else None
        Slot.objects.filter(appointment=appointment).update(
            appointment=None, held_until=None, blocked_until=blocked
        )
        appointment.status = Status.CANCELLED
        appointment.cancelled_at = now
        appointment.held_until = None
        appointment.save(update_fields=["status", "cancelled_at", "held_until"])
        _audit(actor, Action.APPOINTMENT_CANCELLED, appointment)
        count_on_commit(APPOINTMENTS, event="cancelled")
        if was_confirmed:
            _defer_mail(appointment, "cancelled")
        return appointment
