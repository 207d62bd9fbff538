"""What the appointment mutations share: finding the appointment by id (its owner or a clerk)
or by the token from the mail (anyone holding it), and turning errors into the payload."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from portalwerk.graphql.appointments.types import pk_of
from portalwerk.platform.appointments import access
from portalwerk.platform.appointments.errors import NotFound
from portalwerk.platform.authz.actors import Actor, anonymous
from portalwerk.platform.authz.capabilities import can_see_appointments


def find_appointment(
    info: Info, *, appointment_id: strawberry.ID | None, token: str | None, purpose: str
):
    from portalwerk.graphql.appointments.queries import module_on

    module_on(info)
    if token:
        return access.get_appointment_by_token(token, purpose=purpose)
    if appointment_id is None:
        raise NotFound()
    return access.get_appointment_for(
        info.context.request.actor, pk_of(appointment_id, "Appointment")
    )


def actor_of(info: Info, *, token: str | None) -> Actor:
    """Who acts: the signed-in user, or an anonymous citizen when the mail's token is the proof."""
    actor = info.context.request.actor
    return anonymous() if token and not can_see_appointments(actor) else actor


def reload(appointment):
    return access.refreshed(appointment)
