"""The rules every citizen request to the appointments module passes first, whichever channel
it came through: the module switch, the rate limits per client address and email address, and
the holds per browser session. Channels pass the client address and the session's holds as
arguments; they never check these themselves. A channel that has no client address passes
"unknown" rather than None, so that its requests are still counted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.utils import timezone
from django.utils.translation import ngettext

from portalwerk.platform.appointments import limits
from portalwerk.platform.appointments.errors import Code, error
from portalwerk.platform.appointments.models import Appointment, Status
from portalwerk.platform.authz.actors import Actor, user_of
from portalwerk.platform.mail import limits as mail_limits
from portalwerk.tenants.models import Module
from portalwerk.tenants.modules import require_module

#: where a channel keeps the ids of the holds made in one browser session
SESSION_HOLDS = "appointment_holds"


def _email_of(actor: Actor) -> str:
    user = user_of(actor)
    return user.email if user is not None else ""


def check_search(*, actor: Actor, client_ip: str | None) -> None:
    """Before a search for free days or times: the module is on, the search limits hold."""
    require_module(Module.APPOINTMENTS)
    if client_ip is not None:
        limits.check_search(ip=client_ip, email=_email_of(actor))


def active_holds(session_holds: Collection[int], now: dt.datetime | None = None) -> list[int]:
    """Those of a session's holds that still hold a time (the others have no weight)."""
    ids = [int(pk) for pk in session_holds]
    if not ids:
        return []
    now = now or timezone.now()
    active = Appointment.objects.filter(pk__in=ids, status=Status.HELD, held_until__gt=now)
    return sorted(active.values_list("pk", flat=True))


def check_hold(
    *,
    email: str,
    client_ip: str | None,
    session_holds: Collection[int] | None,
    now: dt.datetime | None = None,
) -> None:
    """Before a citizen holds a time: the booking limits per client and email address, then the
    holds per session (None: no session, as for a clerk; nothing to count). Without a client
    address the call is no client's request (a job, the CLI, a test): no limit is counted."""
    if client_ip is not None:
        limits.check_booking(ip=client_ip, email=email)
        if email:  # the hold mails a link to confirm: one of the mails anyone can cause
            over = mail_limits.limited(to=email, ip=client_ip)
            if over is not None:
                raise error(mail_limits.message(over), Code.RATE_LIMITED)
    if session_holds is None:
        return
    held = len(active_holds(session_holds, now))
    if held >= limits.limit("holds_per_session"):
        raise error(
            ngettext(
                "You are already holding %(count)s time. Confirm or release it before "
                "holding another.",
                "You are already holding %(count)s times. Confirm or release one of "
                "them before holding another.",
                held,
            )
            % {"count": held},
            Code.TOO_MANY_HOLDS,
        )
