"""One mutation per file, each a thin call into platform/appointments/services/."""

import strawberry

from portalwerk.graphql.appointments.mutations.cancel_appointment import cancel_appointment
from portalwerk.graphql.appointments.mutations.confirm_appointment import confirm_appointment
from portalwerk.graphql.appointments.mutations.hold_appointment import hold_appointment
from portalwerk.graphql.appointments.mutations.reschedule_appointment import (
    reschedule_appointment,
)


@strawberry.type
class AppointmentMutation:
    hold_appointment = hold_appointment
    confirm_appointment = confirm_appointment
    cancel_appointment = cancel_appointment
    reschedule_appointment = reschedule_appointment
