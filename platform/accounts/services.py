"""Writes on accounts. Each runs in the schema that is active (a tenant's, or public for
operators). Mail goes out through the `send_account_mail` job, deferred in the same transaction
as the write that caused it."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portalwerk.platform import ratelimits
from portalwerk.platform.accounts import tokens
from portalwerk.platform.accounts.errors import AccountErrorCode
from portalwerk.platform.accounts.models import Role, SignInFailure, User
from portalwerk.platform.accounts.tasks import send_account_mail
from portalwerk.platform.authz.actors import Actor, user_of
from portalwerk.platform.error_codes import code_error
from portalwerk.platform.jobs import defer_for_tenant
from portalwerk.platform.mail import limits as mail_limits

MAX_NAME_LENGTH = User._meta.get_field("full_name").max_length
MAX_EMAIL_LENGTH = User._meta.get_field("email").max_length
#: mails a stranger can make us send (password reset, confirmation link again): at most this many
#: requests per email address and per client IP within MAIL_REQUEST_WINDOW. The per-address limit
#: stops mail-bombing one inbox; the per-IP one (higher: an office or a school shares one address)
#: stops one client from bombing many.
MAIL_REQUESTS_PER_EMAIL = 5
MAIL_REQUESTS_PER_IP = 20
MAIL_REQUEST_WINDOW = 3600


def _field_error(field: str, message: str, code: AccountErrorCode, **params) -> ValidationError:
    return code_error(code, message, field, **params)


# --- staff and operators ------------------------------------------------------------------------


def create_operator(*, email: str, password: str) -> User:
    if connection.schema_name != "public":
        raise ValidationError(
            _("Operators exist only on the platform."), code=AccountErrorCode.WRONG_SCHEMA
        )
    return _create_user(email=email, password=password, role=Role.OPERATOR, verified=True)


def create_staff_user(
    *, actor: Actor, email: str, password: str | None, role: str, full_name: str = ""
) -> User:
    if role not in {Role.CLERK_READER, Role.CLERK_PROCESSOR, Role.TENANT_ADMIN}:
        raise _field_error("role", _("Not a staff role."), AccountErrorCode.INVALID_ROLE)
    return _create_user(
        email=email, password=password, role=role, verified=True, full_name=full_name
    )


def _create_user(
    *, email: str, password: str | None, role: str, verified: bool, full_name: str = ""
) -> User:
    email = _normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise _field_error(
            "email",
            _("An account with this email address exists already."),
            AccountErrorCode.DUPLICATE_EMAIL,
        )
    user = User(email=email, role=role, full_name=full_name)
    if password:
        _check_password(password, user)
    with transaction.atomic():
        user.email_verified_at = timezone.now() if verified else None
        user.set_password(password) if password else user.set_unusable_password()
        user.save()
    return user


# --- helpers ------------------------------------------------------------------------------------


def _normalize_email(email: str | None) -> str:
    return (email or "").strip().lower()


def _rate_key(email: str | None) -> str:
    """An address as the rate limits and failed sign-ins count it (signing_in uses it too)."""
    return _normalize_email(email)[:MAX_EMAIL_LENGTH]


def _check_password(password: str, user: User) -> None:
    """Django's password validators, their messages kept, under our own error code."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError(
            {
                "password": [
                    ValidationError(
                        error.message, code=AccountErrorCode.INVALID_PASSWORD, params=error.params
                    )
                    for error in exc.error_list
                ]
            }
        ) from None


def _portal_name() -> str:
    from portalwerk.tenants.current import current_tenant_or_none

    tenant = current_tenant_or_none()
    return tenant.name if tenant else "Portalwerk"


def _absolute_url(name: str, **kwargs) -> str:
    """A link to this schema's own host, built without a request (services run in jobs too)."""
    from portalwerk.tenants.current import current_tenant_url

    public = connection.schema_name == "public"
    urlconf = settings.PUBLIC_SCHEMA_URLCONF if public else settings.ROOT_URLCONF
    return current_tenant_url(reverse(name, kwargs=kwargs or None, urlconf=urlconf))


def _defer_mail(user: User, subject: str, body: str) -> None:
    if connection.schema_name == "public":
        # Operators live in the public schema, which `defer_for_tenant` refuses by design; the
        # job itself runs there fine (the platform tenant's schema is "public").
        send_account_mail.defer(schema_name="public", user_id=user.pk, subject=subject, body=body)
    else:
        defer_for_tenant(send_account_mail, user_id=user.pk, subject=subject, body=body)


def _request_language() -> str:
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _mail_verification_link(user: User) -> None:
    link = _absolute_url(
        "accounts:verify-email", token=tokens.make_token(user, tokens.Purpose.VERIFY_EMAIL)
    )
    days = tokens.MAX_AGE[tokens.Purpose.VERIFY_EMAIL].days
    with translation.override(user.language):
        portal = _portal_name()
        subject = _("Please confirm your email address")
        body = ngettext(
            "Please confirm your email address for the service portal %(portal)s by opening "
            "this link:\n\n%(link)s\n\nThe link is valid for %(days)d day. If you did not create "
            "an account, you can ignore this email.",
            "Please confirm your email address for the service portal %(portal)s by opening "
            "this link:\n\n%(link)s\n\nThe link is valid for %(days)d days. If you did not "
            "create an account, you can ignore this email.",
            days,
        ) % {"portal": portal, "link": link, "days": days}
    _defer_mail(user, subject, body)


# --- citizen sign-up and email verification -----------------------------------------------------


def register_citizen(
    *,
    actor: Actor,
    email: str,
    full_name: str,
    password: str,
    language: str | None = None,
    ip: str | None = None,
) -> User | None:
    """Create an unverified citizen account and mail a confirmation link.

    Returns the new user, or None when the address has an account already: then its owner gets
    a mail saying so instead (at most once a day: signing up again and again with someone's
    address does not fill their inbox), and the caller answers exactly as for a new account, so
    that the sign-up form does not tell strangers which addresses have accounts here.

    Each sign-up counts against the mail limits of the address and the client (`mail.limits`,
    code `too_many_mails`) before the address is looked up, so reaching them says nothing about
    whether it has an account.
    """
    if connection.schema_name == "public":
        raise ValidationError(
            _("Citizens sign up on their municipality's portal."),
            code=AccountErrorCode.WRONG_SCHEMA,
        )
    email = _normalize_email(email)
    full_name = (full_name or "").strip()
    errors: dict[str, list[ValidationError]] = {}
    if not full_name:
        errors["full_name"] = [
            ValidationError(_("Enter your name."), code=AccountErrorCode.REQUIRED)
        ]
    elif len(full_name) > MAX_NAME_LENGTH:
        errors["full_name"] = [
            ValidationError(
                _("Enter a name of at most %(max)d characters."),
                code=AccountErrorCode.NAME_TOO_LONG,
                params={"max": MAX_NAME_LENGTH},
            )
        ]
    if not email:
        errors["email"] = [
            ValidationError(_("Enter your email address."), code=AccountErrorCode.REQUIRED)
        ]
    else:
        try:
            validate_email(email)
            if len(email) > MAX_EMAIL_LENGTH:
                raise ValidationError("too long")
        except ValidationError:
            errors["email"] = [
                ValidationError(
                    _("Enter an email address in the right format, like name@example.org."),
                    code=AccountErrorCode.INVALID_EMAIL,
                )
            ]
    user = User(
        email=email,
        full_name=full_name,
        role=Role.CITIZEN,
        identity_provider="local",
        language=language if language in dict(settings.LANGUAGES) else _request_language(),
    )
    if not password:
        errors["password"] = [
            ValidationError(_("Enter a password."), code=AccountErrorCode.REQUIRED)
        ]
    else:
        try:
            _check_password(password, user)
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    mail_limits.check(to=email, ip=ip, field="email")

    # Hashed before looking the address up, so that the answer takes as long either way.
    user.set_password(password)
    with transaction.atomic():
        existing = User.objects.filter(email__iexact=email).first()
        if existing is None:
            try:
                with transaction.atomic():
                    user.save()
            except IntegrityError:  # the same address signed up a moment ago
                existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            if existing.is_active and _first_exists_notice_today(email):
                _mail_account_exists(existing)
            return None
        _mail_verification_link(user)
    return user


def _first_exists_notice_today(email: str) -> bool:
    return (
        ratelimits.hit(
            "account-exists-notice", _rate_key(email), allowed=1, window_seconds=24 * 3600
        )
        is None
    )


def _mail_account_exists(user: User) -> None:
    link = _absolute_url("accounts:password-reset")
    with translation.override(user.language):
        subject = _("You already have an account")
        body = _(
            "Someone, perhaps you, tried to create an account on the service portal %(portal)s "
            "with this email address. There is an account for it already. If you have forgotten "
            "your password, you can choose a new one here:\n\n%(link)s\n\nIf it was not you, "
            "you can ignore this email."
        ) % {"portal": _portal_name(), "link": link}
    _defer_mail(user, subject, body)


def verify_email(*, actor: Actor, token: str, now: datetime | None = None) -> User:
    """Mark the address a confirmation link was sent to as verified (again: no change)."""
    user = tokens.read_token(token, tokens.Purpose.VERIFY_EMAIL, now=now)
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


def resend_verification(*, actor: Actor, ip: str | None = None) -> None:
    """Mail a new confirmation link to the signed-in user's unverified address.

    Limited per address and per client IP (see MAIL_REQUESTS_PER_EMAIL): anyone can sign up with
    someone else's address and press the button. Here the limit is said openly (code
    `too_many_requests`, the view answers 429): the actor is signed in to the account, so the
    answer reveals nothing about which addresses have accounts."""
    user = user_of(actor)
    if user is None:
        raise ValidationError(_("Please sign in first."), code=AccountErrorCode.NOT_SIGNED_IN)
    if user.email_verified:
        raise ValidationError(
            _("Your email address is confirmed already."), code=AccountErrorCode.ALREADY_VERIFIED
        )
    limited = _mail_request_limited("resend-verification", email=user.email, ip=ip)
    if limited is not None:
        raise ValidationError(
            _("Too many requests"),
            code=AccountErrorCode.TOO_MANY_REQUESTS,
            params={"seconds": limited.retry_after},
        )
    mail_limits.check(to=user.email, ip=ip)
    with transaction.atomic():
        _mail_verification_link(user)


# --- password reset -----------------------------------------------------------------------------


def _mail_request_limited(kind: str, *, email: str, ip: str | None):
    """Count one request that mails `email`; a RateLimited past the per-IP or per-address limit.

    The IP is counted first, and a limited IP does not count against the address, so that one
    client cannot use up the allowance of addresses it does not own beyond its own limit."""
    limited = ratelimits.hit(
        f"{kind}-ip", ip, allowed=MAIL_REQUESTS_PER_IP, window_seconds=MAIL_REQUEST_WINDOW
    )
    if limited is not None:
        return limited
    return ratelimits.hit(
        f"{kind}-email",
        _rate_key(email),
        allowed=MAIL_REQUESTS_PER_EMAIL,
        window_seconds=MAIL_REQUEST_WINDOW,
    )


def request_password_reset(*, actor: Actor, email: str, ip: str | None = None) -> None:
    """Mail a reset link if `email` belongs to an active local account; otherwise do nothing.

    The caller answers the same in both cases, and also when the request is over the limit per
    address or per client IP (see MAIL_REQUESTS_PER_EMAIL): then nothing is mailed either. A 429
    here would not reveal whether the address has an account (unknown addresses are counted
    alike), but the one answer keeps the page simple and tells a mail-bomber nothing; the owner
    of the address has had several links within the hour already."""
    email = _normalize_email(email)
    if not email:
        return
    if _mail_request_limited("password-reset", email=email, ip=ip) is not None:
        return
    if mail_limits.limited(to=email, ip=ip) is not None:
        return
    user = User.objects.filter(
        email__iexact=email, is_active=True, identity_provider="local"
    ).first()
    if user is None:
        return
    link = _absolute_url(
        "accounts:password-reset-confirm",
        token=tokens.make_token(user, tokens.Purpose.RESET_PASSWORD),
    )
    hours = int(tokens.MAX_AGE[tokens.Purpose.RESET_PASSWORD].total_seconds() // 3600)
    with translation.override(user.language):
        subject = _("Choose a new password")
        body = ngettext(
            "You asked to choose a new password for the service portal %(portal)s. Open this "
            "link to do so:\n\n%(link)s\n\nThe link is valid for %(hours)d hour and works once. "
            "If you did not ask for this, you can ignore this email; your password stays as it is.",
            "You asked to choose a new password for the service portal %(portal)s. Open this "
            "link to do so:\n\n%(link)s\n\nThe link is valid for %(hours)d hours and works once. "
            "If you did not ask for this, you can ignore this email; your password stays as it is.",
            hours,
        ) % {"portal": _portal_name(), "link": link, "hours": hours}
    with transaction.atomic():
        _defer_mail(user, subject, body)


def check_password_reset_token(token: str, *, now: datetime | None = None) -> User:
    """The user a reset link is for, or ValidationError (token_invalid/token_expired)."""
    return tokens.read_token(token, tokens.Purpose.RESET_PASSWORD, now=now)


def reset_password(*, actor: Actor, token: str, password: str, now: datetime | None = None) -> User:
    """Set a new password through a reset link.

    Changing the password changes the session auth hash, so every session the user had before
    is signed out. Following the link proves the address, so an unverified one becomes verified.
    """
    user = check_password_reset_token(token, now=now)
    if not password:
        raise _field_error("password", _("Enter a new password."), AccountErrorCode.REQUIRED)
    _check_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        fields = ["password"]
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            fields.append("email_verified_at")
        user.save(update_fields=fields)
        SignInFailure.objects.filter(email=user.email).delete()
        with translation.override(user.language):
            subject = _("Your password was changed")
            body = _(
                "The password of your account on the service portal %(portal)s was changed. "
                "If that was not you, choose a new password at once here:\n\n%(link)s"
            ) % {"portal": _portal_name(), "link": _absolute_url("accounts:password-reset")}
        _defer_mail(user, subject, body)
    return user
