"""Signing in with a password, and the limits on failed sign-ins (per address and IP, per IP, per
address across IPs), kept in PostgreSQL (`SignInFailure`). The identity backend uses the same
functions, so every way in through Django's `authenticate` is limited."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.contrib.auth import authenticate, login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portalwerk.platform.accounts.errors import AccountErrorCode
from portalwerk.platform.accounts.models import SignInFailure, User
from portalwerk.platform.accounts.services import _rate_key
from portalwerk.platform.client import client_ip

#: failed sign-ins per email address and client IP within SIGN_IN_WINDOW before we refuse; the
#: same number per address from several IPs (see `sign_in_retry_after`)
SIGN_IN_LIMIT = 10
#: failed sign-ins per client IP, whatever the addresses, within SIGN_IN_WINDOW (password
#: spraying); higher than the per-address one, since an office or a school shares one IP
SIGN_IN_LIMIT_PER_IP = 20
#: distinct IPs among an address's last SIGN_IN_LIMIT failures that lock it for every IP
SIGN_IN_SPREAD_IPS = 3
SIGN_IN_WINDOW = timedelta(minutes=15)
SIGN_IN_BACKEND = "portalwerk.platform.accounts.identity.backend.IdentityBackend"


def sign_in_retry_after(
    *, email: str, ip: str | None, now: datetime | None = None
) -> timedelta | None:
    """How long sign-ins for this address from this IP stay refused, or None if they are not.

    Three limits over the failures of the last SIGN_IN_WINDOW, each ending when the oldest
    failure that counts leaves the window (so every refusal decays by itself, and refused tries
    are not recorded, so hammering does not prolong it):
    - this address from this IP: SIGN_IN_LIMIT failures;
    - this IP, whatever the address (password spraying): SIGN_IN_LIMIT_PER_IP failures;
    - this address, whatever the IP (guesses spread over many clients): the last
      SIGN_IN_LIMIT failures, once they came from SIGN_IN_SPREAD_IPS IPs or more. From one IP
      the first limit already applies and the owner can still sign in elsewhere; requiring
      several IPs means a stranger at one address, plus the owner's own typo, cannot lock the
      account for everyone."""
    now = now or timezone.now()
    recent = SignInFailure.objects.filter(created_at__gt=now - SIGN_IN_WINDOW).order_by(
        "-created_at"
    )
    key = _rate_key(email)
    waits = []
    mine = list(
        recent.filter(email=key, ip_address=ip).values_list("created_at", flat=True)[:SIGN_IN_LIMIT]
    )
    if len(mine) >= SIGN_IN_LIMIT:
        waits.append(mine[-1])
    if ip:
        sprayed = list(
            recent.filter(ip_address=ip).values_list("created_at", flat=True)[:SIGN_IN_LIMIT_PER_IP]
        )
        if len(sprayed) >= SIGN_IN_LIMIT_PER_IP:
            waits.append(sprayed[-1])
    spread = list(recent.filter(email=key).values_list("created_at", "ip_address")[:SIGN_IN_LIMIT])
    if (
        len(spread) >= SIGN_IN_LIMIT
        and len({address for _at, address in spread}) >= SIGN_IN_SPREAD_IPS
    ):
        waits.append(spread[-1][0])
    if not waits:
        return None
    return max(waits) + SIGN_IN_WINDOW - now


def ensure_sign_in_allowed(*, email: str, ip: str | None) -> None:
    wait = sign_in_retry_after(email=email, ip=ip)
    if wait is None:
        return
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    raise ValidationError(
        ngettext(
            "Too many attempts to sign in. Please try again in %(minutes)d minute.",
            "Too many attempts to sign in. Please try again in %(minutes)d minutes.",
            minutes,
        ),
        code=AccountErrorCode.TOO_MANY_ATTEMPTS,
        params={"minutes": minutes, "seconds": math.ceil(wait.total_seconds())},
    )


def record_failed_sign_in(*, email: str, ip: str | None) -> None:
    now = timezone.now()
    with transaction.atomic():
        SignInFailure.objects.filter(created_at__lte=now - SIGN_IN_WINDOW).delete()
        SignInFailure.objects.create(email=_rate_key(email), ip_address=ip, created_at=now)


def clear_failed_sign_ins(*, email: str, ip: str | None) -> None:
    SignInFailure.objects.filter(email=_rate_key(email), ip_address=ip).delete()


def sign_in(*, request, email: str, password: str) -> User:
    """Check the password, the rate limit and (for staff) a verified address; sign the user in.

    The identity backend counts failures and refuses locked addresses itself, so that every way
    in that uses Django's `authenticate` is limited; this function checks first as well, to be
    able to say how long to wait."""
    ip = client_ip(request)
    ensure_sign_in_allowed(email=email, ip=ip)
    user = authenticate(request, email=email, password=password)
    if user is None:
        # This failure may have been the last one allowed: say so now, not on the next try.
        ensure_sign_in_allowed(email=email, ip=ip)
        raise ValidationError(
            _("The email address or the password is not right."),
            code=AccountErrorCode.INVALID_LOGIN,
        )
    if user.is_staff and not user.email_verified:
        raise ValidationError(
            _(
                "Your email address is not confirmed yet. Staff accounts can only be used "
                "with a confirmed address; please ask your administrator."
            ),
            code=AccountErrorCode.EMAIL_NOT_VERIFIED,
        )
    login(request, user, backend=SIGN_IN_BACKEND)
    return user
