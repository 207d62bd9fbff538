"""Writes on appointments. Views, GraphQL mutations, the back office and jobs call these.

The package is split by who acts and what it does; callers keep importing
`from portalwerk.platform.appointments import services` and calling `services.<name>`, so the
public names are re-exported here (and only these: helpers with a leading underscore stay in
their module):

- `booking`: a citizen holds, confirms and moves a time (and the clerk's booking path `_book`)
- `slots`: where an appointment goes and the row locks that keep capacity (PostgreSQL's job)
- `retry`: retrying after deadlocks and serialization failures, then answering `busy`
- `cancellation`: cancelling an appointment or releasing a hold
- `clerk`: booking on behalf, arrivals and no-shows, closing an office for a day
- `jobs`: expiring holds, blanking old personal data, queueing reminders
- `actors`: whether an actor acts for the office, and the clerks' audit trail
- `followups`: the mails and hold expiries a write queues
- `guards`: what every citizen request passes first (module switch, rate limits, holds cap)
"""

from portalwerk.platform.appointments.services.booking import (
    active_for_email,
    confirm_appointment,
    hold_appointment,
    models_active,
    reschedule_appointment,
)
from portalwerk.platform.appointments.services.cancellation import cancel_appointment
from portalwerk.platform.appointments.services.clerk import (
    appointments_cancelled_by_closing,
    book_on_behalf,
    can_mark_attendance,
    close_office_day,
    mark_arrived,
    mark_no_show,
    view_day,
)
from portalwerk.platform.appointments.services.guards import (
    SESSION_HOLDS,
    active_holds,
    check_search,
)
from portalwerk.platform.appointments.services.jobs import (
    expire_holds,
    purge_personal_data,
    send_reminders,
)

__all__ = [
    "SESSION_HOLDS",
    "active_holds",
    "check_search",
    "active_for_email",
    "appointments_cancelled_by_closing",
    "can_mark_attendance",
    "book_on_behalf",
    "cancel_appointment",
    "close_office_day",
    "confirm_appointment",
    "expire_holds",
    "hold_appointment",
    "mark_arrived",
    "mark_no_show",
    "models_active",
    "purge_personal_data",
    "reschedule_appointment",
    "send_reminders",
    "view_day",
]
