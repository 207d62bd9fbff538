"""Signed, expiring tokens for the links we mail: confirm an email address, reset a password.

A token is `django.core.signing` over a small payload: the schema it was made in, the user's id,
when it was issued, and a fingerprint of what the link may change. The schema binds the link to
its tenant (user 5 of one tenant is not user 5 of another); the fingerprint makes a link
single-use where that matters: a reset link hashes the password and the last sign-in, so it dies
once the password is changed or the user signs in; a confirmation link hashes the address, so it
dies when the address changes. The issue time is in the payload (not the signer's own timestamp)
so that expiry is checked against an explicit `now`, which tests pass to make an old link.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.accounts.errors import AccountErrorCode
from portalwerk.platform.accounts.models import User

#: longer than any token we make; anything longer is not read at all
MAX_TOKEN_LENGTH = 600
#: how far a token's issue time may lie in the future (clock skew between machines)
CLOCK_SKEW = timedelta(minutes=5)


class Purpose(StrEnum):
    VERIFY_EMAIL = "verify-email"
    RESET_PASSWORD = "reset-password"
    # a staff invitation: choose the first password (single use, like a reset link)
    ACCEPT_INVITATION = "accept-invitation"


MAX_AGE = {
    Purpose.VERIFY_EMAIL: timedelta(days=3),
    Purpose.RESET_PASSWORD: timedelta(hours=2),
    Purpose.ACCEPT_INVITATION: timedelta(days=7),
}


def _salt(purpose: Purpose) -> str:
    return f"portalwerk.accounts.{purpose}"


def _fingerprint(user: User, purpose: Purpose) -> str:
    if purpose in {Purpose.RESET_PASSWORD, Purpose.ACCEPT_INVITATION}:
        last_login = user.last_login.isoformat() if user.last_login else ""
        value = f"{user.pk}|{user.email}|{user.password}|{last_login}"
    else:
        value = f"{user.pk}|{user.email}"
    return salted_hmac(_salt(purpose), value, algorithm="sha256").hexdigest()[:32]


def make_token(user: User, purpose: Purpose, *, now: datetime | None = None) -> str:
    """A token for `user` in the active schema, issued at `now` (default: this moment)."""
    issued = now or timezone.now()
    payload = {
        "s": connection.schema_name,
        "u": user.pk,
        "t": int(issued.timestamp()),
        "f": _fingerprint(user, purpose),
    }
    return signing.dumps(payload, salt=_salt(purpose), compress=True)


def _invalid() -> ValidationError:
    return ValidationError(
        _("This link is not valid. It may have been used already or not copied completely."),
        code=AccountErrorCode.TOKEN_INVALID,
    )


def read_token(token: str, purpose: Purpose, *, now: datetime | None = None) -> User:
    """The active user a token was made for, or ValidationError (token_invalid/token_expired)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise _invalid()
    try:
        data = signing.loads(token, salt=_salt(purpose))
    except signing.BadSignature:
        raise _invalid() from None
    if not isinstance(data, dict) or data.get("s") != connection.schema_name:
        raise _invalid()
    user_id, issued_at, fingerprint = data.get("u"), data.get("t"), data.get("f")
    if not isinstance(user_id, int) or not isinstance(issued_at, int):
        raise _invalid()
    if not isinstance(fingerprint, str):
        raise _invalid()
    now = now or timezone.now()
    age = now - datetime.fromtimestamp(issued_at, tz=UTC)
    if age < -CLOCK_SKEW:
        raise _invalid()
    if age > MAX_AGE[purpose]:
        raise ValidationError(
            _("This link has expired. Links are only valid for a limited time."),
            code=AccountErrorCode.TOKEN_EXPIRED,
        )
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not constant_time_compare(fingerprint, _fingerprint(user, purpose)):
        raise _invalid()
    return user
