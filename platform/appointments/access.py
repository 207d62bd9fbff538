"""Reads by id: inside the current tenant, within the actor's rights, with one uniform
"not found" for what does not exist and what the actor may not see."""

from __future__ import annotations

from django.core import signing
from django.utils.crypto import constant_time_compare

from portalwerk.platform.appointments.errors import NotFound
from portalwerk.platform.appointments.models import Appointment, BookableService
from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import Actor, user_of
from portalwerk.platform.catalog.models import Office

MANAGE_SALT = "portalwerk.appointments.manage"
CONFIRM_SALT = "portalwerk.appointments.confirm"


def _appointments():
    return Appointment.objects.select_related("office__booking_policy", "counter").prefetch_related(
        "items__service"
    )


def get_appointment_for(actor: Actor, appointment_id) -> Appointment:
    """Clerks see every appointment of their tenant; a signed-in citizen sees their own."""
    try:
        appointment_id = int(appointment_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    if user_of(actor) is None:
        raise NotFound()
    query = _appointments().filter(pk=appointment_id)
    if not capabilities.can_see_appointments(actor):
        query = query.filter(user_id=actor.user_id)
    appointment = query.first()
    if appointment is None:
        raise NotFound()
    return appointment


def refreshed(appointment: Appointment) -> Appointment:
    """The same appointment read again with what pages and the API show (after a write)."""
    return _appointments().get(pk=appointment.pk)


def manage_token(appointment: Appointment) -> str:
    """The unguessable link token for cancelling and moving without an account."""
    return signing.dumps([appointment.pk, appointment.access_key], salt=MANAGE_SALT)


def confirm_token(appointment: Appointment) -> str:
    return signing.dumps([appointment.pk, appointment.access_key], salt=CONFIRM_SALT)


def get_appointment_by_token(token: str, *, purpose: str = "manage") -> Appointment:
    salt = CONFIRM_SALT if purpose == "confirm" else MANAGE_SALT
    try:
        appointment_id, key = signing.loads(token, salt=salt)
        appointment_id = int(appointment_id)
    except (signing.BadSignature, ValueError, TypeError):
        raise NotFound() from None
    appointment = _appointments().filter(pk=appointment_id).first()
    if appointment is None or not constant_time_compare(appointment.access_key, str(key)):
        raise NotFound()
    return appointment


def bookable_offices(*, include_inactive: bool = False):
    """The catalogue offices that take appointments (they have booking rules; unless
    `include_inactive`, rules that are switched on), with the rules loaded."""
    query = Office.objects.filter(booking_policy__isnull=False).select_related("booking_policy")
    if not include_inactive:
        query = query.filter(booking_policy__is_active=True)
    return query


def get_office(office_id, *, include_inactive: bool = False) -> Office:
    """A catalogue office that takes appointments, with its booking rules."""
    try:
        office_id = int(office_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    office = bookable_offices(include_inactive=include_inactive).filter(pk=office_id).first()
    if office is None:
        raise NotFound()
    return office


def bookable_services(ids) -> list[BookableService]:
    """The active services among `ids` (unknown ones are dropped), in the given order."""
    wanted = []
    for value in ids:
        try:
            wanted.append(int(value))
        except (TypeError, ValueError):
            continue
    found = BookableService.objects.in_bulk([i for i in wanted], field_name="pk")
    return [found[i] for i in dict.fromkeys(wanted) if i in found and found[i].is_active]
