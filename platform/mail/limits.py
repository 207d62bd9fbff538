"""How many mails a client can make us send: per recipient address and per client address, one
allowance across every path that mails an address someone typed (sign-up, confirmation link,
password reset, "save and continue later", appointment booking, barrier feedback).

Counted installation-wide in PostgreSQL (`ratelimits.hit(..., installation_wide=True)`): a
stranger's inbox is the same inbox whichever tenant's portal is used against it. A request is
counted before anyone looks the address up, whether or not an account has it, so that reaching
the limit, and its message, tell nothing about which addresses have accounts. The client address
is counted first; a client over its own limit does not use up the allowance of the addresses it
names.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.utils.translation import ngettext

from portalwerk.platform import ratelimits
from portalwerk.platform.mail.errors import MailErrorCode

DEFAULTS = {
    # A citizen's own busy hour (sign-up, a confirmation link again, a saved form, a booking)
    # stays below this; a stranger's inbox gets no more than this from us per hour.
    "per_recipient_per_hour": 6,
    # Higher: an office, a school or a mobile network shares one address.
    "per_client_per_hour": 30,
}
WINDOW_SECONDS = 3600


def allowance(name: str) -> int:
    return int(getattr(settings, "PORTALWERK_MAIL_LIMITS", {}).get(name, DEFAULTS[name]))


def _normalized(address: str | None) -> str:
    return (address or "").strip().lower()[:254]


def limited(*, to: str | None, ip: str | None, now=None) -> ratelimits.RateLimited | None:
    """Count one request that mails `to` (None: a mail to the tenant itself) from `ip`; a
    RateLimited once the client or the recipient is past its allowance, else None."""
    over = ratelimits.hit(
        "mail-client",
        ip,
        allowed=allowance("per_client_per_hour"),
        window_seconds=WINDOW_SECONDS,
        now=now,
        installation_wide=True,
    )
    if over is not None or not to:
        return over
    return ratelimits.hit(
        "mail-recipient",
        _normalized(to),
        allowed=allowance("per_recipient_per_hour"),
        window_seconds=WINDOW_SECONDS,
        now=now,
        installation_wide=True,
    )


def check(*, to: str | None, ip: str | None, field: str | None = None, now=None) -> None:
    """`limited`, raised: a ValidationError (code `too_many_mails`, on `field` when given) whose
    message says how long to wait, in the active language."""
    over = limited(to=to, ip=ip, now=now)
    if over is None:
        return
    raise MailErrorCode.TOO_MANY_MAILS.error(
        message(over), field if field else None, seconds=over.retry_after
    )


def message(over: ratelimits.RateLimited) -> str:
    """What a client past a mail limit is told, in the active language."""
    minutes = max(1, math.ceil(over.retry_after / 60))
    return ngettext(
        "We have sent a lot of emails to this address or for your connection recently. To "
        "protect inboxes from unwanted mail, please try again in %(minutes)d minute.",
        "We have sent a lot of emails to this address or for your connection recently. To "
        "protect inboxes from unwanted mail, please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def is_too_many_mails(error) -> bool:
    """Whether a ValidationError is (or holds) the limit of this module: channels answer it with
    HTTP 429."""
    if hasattr(error, "error_dict"):
        errors = [item for items in error.error_dict.values() for item in items]
    else:
        errors = getattr(error, "error_list", [])
    return any(item.code == MailErrorCode.TOO_MANY_MAILS for item in errors)


def retry_after(error) -> int:
    """The seconds to wait that a `too_many_mails` error carries (for a Retry-After header)."""
    if hasattr(error, "error_dict"):
        errors = [item for items in error.error_dict.values() for item in items]
    else:
        errors = getattr(error, "error_list", [])
    for item in errors:
        if item.code == MailErrorCode.TOO_MANY_MAILS and item.params:
            return int(item.params.get("seconds", 60))
    return 60
