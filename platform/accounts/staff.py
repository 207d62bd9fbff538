"""Staff of a tenant: invite, list, change roles, deactivate, reactivate, accept an invitation.

Every rule about staff accounts is here; the back office page, the CLI (`portalwerk staff`), the
tenant GraphQL API and tenant onboarding call these and decide nothing themselves. All run in
the schema that is active (the tenant's). Who may: tenant admins (`manage_staff`), operators
(who onboard tenants) and the system (the CLI, run by the operator on the machine).

A role is one of `StaffRole` (reader, processor, tenant admin) plus, on top, the finance role,
which payments keep (`authz.capabilities.role_store("finance")`). The last active tenant admin
cannot be demoted or deactivated: every change that could remove an admin first locks all
active admins' rows (`_lock_admins`), so two admins demoting each other at the same moment are
serialized and the second sees that only one admin is left.

An invitation is an account without a usable password and a signed link (tokens, purpose
`accept-invitation`, 7 days, single use: choosing the password invalidates it). Which link the
mail carries is the identity provider's answer (`IdentityProvider.invite`): our own page for
local accounts, Keycloak's own flow once it is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portalwerk.platform.accounts import tokens
from portalwerk.platform.accounts.errors import AccountErrorCode as Code
from portalwerk.platform.accounts.identity.base import Invitation
from portalwerk.platform.accounts.identity.registry import identity_providers
from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.accounts.services import (
    MAX_EMAIL_LENGTH,
    MAX_NAME_LENGTH,
    _absolute_url,
    _check_password,
    _defer_mail,
    _portal_name,
)
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import Actor, check
from portalwerk.platform.error_codes import code_error

FINANCE = "finance"

#: role names people type (CLI, API, the page) -> the user's stored role
STAFF_ROLES: dict[str, str] = {
    "reader": Role.CLERK_READER,
    "processor": Role.CLERK_PROCESSOR,
    "tenant_admin": Role.TENANT_ADMIN,
}
ROLE_LABELS = {
    "reader": gettext_lazy("reader"),
    "processor": gettext_lazy("processor"),
    "tenant_admin": gettext_lazy("tenant admin"),
}
_NAME_OF_ROLE = {stored: name for name, stored in STAFF_ROLES.items()}


@dataclass(frozen=True)
class StaffMember:
    id: int
    email: str
    full_name: str
    role: str  # a key of STAFF_ROLES
    finance: bool
    is_active: bool
    invitation_pending: bool
    last_login: datetime | None

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[self.role])


def _error(field: str, message: str, code: Code, **params) -> ValidationError:
    return code_error(code, message, field, **params)


def _require_manager(actor: Actor) -> None:
    check(actor)
    if actor.is_system or capabilities.can_operate_platform(actor):
        return
    if connection.schema_name == "public":
        raise capabilities.permission_denied()
    capabilities.require(actor, capabilities.Capability.MANAGE_STAFF)


def _finance_store():
    return capabilities.role_store(FINANCE)


def _member(user: User, finance_ids: set[int]) -> StaffMember:
    return StaffMember(
        id=user.pk,
        email=user.email,
        full_name=user.full_name,
        role=_NAME_OF_ROLE[user.role],
        finance=user.pk in finance_ids,
        is_active=user.is_active,
        invitation_pending=_pending(user),
        last_login=user.last_login,
    )


def _pending(user: User) -> bool:
    return user.last_login is None and not user.has_usable_password()


def _staff_rows():
    return User.objects.filter(role__in=list(STAFF_ROLES.values())).exclude(role=Role.OPERATOR)


def list_staff(*, actor: Actor) -> list[StaffMember]:
    """Every staff account of the tenant, active or not, by email (two queries)."""
    _require_manager(actor)
    store = _finance_store()
    finance_ids = store.holders() if store else set()
    return [_member(user, finance_ids) for user in _staff_rows().order_by("email")]


def member_of(user: User) -> StaffMember:
    store = _finance_store()
    return _member(user, store.holders() if store else set())


def get_staff_for(actor: Actor, member: str | int, *, lock: bool = False) -> User:
    """The staff account `member` names (its email address, or its id), for someone who manages
    staff; one "not found" whatever the reason."""
    _require_manager(actor)
    rows = _staff_rows().select_for_update() if lock else _staff_rows()
    if isinstance(member, int):
        # beyond a bigint (a typed URL) names nobody, and must not reach the database
        user = rows.filter(pk=member).first() if 0 < member < 2**63 else None
    else:
        user = rows.filter(email__iexact=(member or "").strip()).first()
    if user is None:
        raise _error(
            "member",
            _("There is no staff member %(member)s.") % {"member": member},
            Code.STAFF_NOT_FOUND,
        )
    return user


def _role(role: str) -> str:
    if role not in STAFF_ROLES:
        raise _error(
            "role",
            _("Unknown role %(role)r; the roles are: %(known)s.")
            % {"role": role, "known": ", ".join(STAFF_ROLES)},
            Code.INVALID_ROLE,
        )
    return STAFF_ROLES[role]


def _set_finance(user: User, finance: bool) -> None:
    store = _finance_store()
    if store is None:
        if finance:
            raise _error(
                "finance", _("No installed app keeps the finance role."), Code.INVALID_ROLE
            )
        return
    (store.grant if finance else store.revoke)(user)


def _lock_admins() -> list[int]:
    """Lock the rows of every active tenant admin and return their ids. A concurrent change that
    would remove an admin waits here, then reads the admins as the first one left them."""
    return list(
        User.objects.select_for_update()
        .filter(role=Role.TENANT_ADMIN, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _keep_an_admin(user: User) -> None:
    admins = _lock_admins()
    if admins == [user.pk]:
        raise code_error(
            Code.LAST_ADMIN,
            _(
                "%(email)s is the last active tenant admin. Make someone else tenant admin "
                "first, so that somebody can still manage staff."
            )
            % {"email": user.email},
        )


# --- invitations --------------------------------------------------------------------------------


def check_email(email: str) -> None:
    """Refuse an address an invitation could not go to (for checks before inviting)."""
    _clean_email(email)


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not email:
        raise _error("email", _("Enter an email address."), Code.REQUIRED)
    try:
        validate_email(email)
        if len(email) > MAX_EMAIL_LENGTH:
            raise ValidationError("too long")
    except ValidationError:
        raise _error(
            "email",
            _("Enter an email address in the right format, like name@example.org."),
            Code.INVALID_EMAIL,
        ) from None
    return email


def invite_staff(
    *,
    actor: Actor,
    email: str,
    role: str,
    finance: bool = False,
    full_name: str = "",
    language: str | None = None,
) -> User:
    """Make a staff account without a password and mail its invitation link."""
    _require_manager(actor)
    email = _clean_email(email)
    stored_role = _role(role)
    full_name = (full_name or "").strip()
    if len(full_name) > MAX_NAME_LENGTH:
        raise _error(
            "full_name",
            _("Enter a name of at most %(max)d characters.") % {"max": MAX_NAME_LENGTH},
            Code.NAME_TOO_LONG,
        )
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise _duplicate(email)
        user = User(
            email=email,
            full_name=full_name,
            role=stored_role,
            language=language,
            identity_provider=_staff_provider().name,
        )
        user.set_unusable_password()
        user.email_verified_at = None  # following the link proves the address
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise _duplicate(email) from None
        _set_finance(user, finance)
        record(actor, Action.STAFF_INVITED, user, role=role, finance=finance)
        _send_invitation(user)
    return user


def _duplicate(email: str) -> ValidationError:
    return _error(
        "email",
        _("An account with the address %(email)s exists already.") % {"email": email},
        Code.DUPLICATE_EMAIL,
    )


def resend_invitation(*, actor: Actor, member: str | int) -> User:
    """Mail a new invitation link to a staff member who has not accepted yet."""
    with transaction.atomic():
        user = get_staff_for(actor, member, lock=True)
        if not _pending(user):
            raise _error(
                "member",
                _("%(email)s has accepted the invitation already.") % {"email": user.email},
                Code.INVITATION_ACCEPTED,
            )
        if not user.is_active:
            raise _error(
                "member",
                _("%(email)s is deactivated; reactivate the account first.")
                % {"email": user.email},
                Code.STAFF_INACTIVE,
            )
        record(actor, Action.STAFF_INVITATION_SENT, user)
        _send_invitation(user)
    return user


def _staff_provider():
    """Where new staff accounts live: the first identity provider the installation enables
    (`PORTALWERK_IDENTITY_PLUGINS` order); `local` unless Keycloak is listed before it."""
    providers = identity_providers.enabled()
    if not providers:
        raise code_error(Code.INVALID_ROLE, _("No identity provider is enabled for staff."))
    return providers[0]


def _send_invitation(user: User) -> None:
    accept_url = _absolute_url(
        "accounts:accept-invitation",
        token=tokens.make_token(user, tokens.Purpose.ACCEPT_INVITATION),
    )
    provider = identity_providers.get(user.identity_provider)
    link = provider.invite(
        Invitation(user_id=user.pk, email=user.email, language=user.language, accept_url=accept_url)
    )
    if link is None:
        return  # the provider mailed the person itself
    days = tokens.MAX_AGE[tokens.Purpose.ACCEPT_INVITATION].days
    with translation.override(user.language):
        role = ROLE_LABELS[_NAME_OF_ROLE[user.role]]
        subject = _("Your invitation to the back office of %(portal)s") % {"portal": _portal_name()}
        body = ngettext(
            "You have been invited to work in the back office of the service portal "
            "%(portal)s, as %(role)s. Open this link to choose your password:\n\n%(link)s\n\n"
            "The link is valid for %(days)d day and works once. If you did not expect this "
            "invitation, you can ignore this email.",
            "You have been invited to work in the back office of the service portal "
            "%(portal)s, as %(role)s. Open this link to choose your password:\n\n%(link)s\n\n"
            "The link is valid for %(days)d days and works once. If you did not expect this "
            "invitation, you can ignore this email.",
            days,
        ) % {"portal": _portal_name(), "role": role, "link": link, "days": days}
    _defer_mail(user, subject, body)


def check_invitation(token: str, *, now: datetime | None = None) -> User:
    """The invited user a link is for, or ValidationError (token_invalid/token_expired)."""
    user = tokens.read_token(token, tokens.Purpose.ACCEPT_INVITATION, now=now)
    if user.role not in _NAME_OF_ROLE:
        raise tokens._invalid()
    return user


def accept_invitation(
    *, actor: Actor, token: str, password: str, full_name: str = "", now: datetime | None = None
) -> User:
    """Choose the first password through an invitation link; the link then no longer works."""
    with transaction.atomic():
        user = check_invitation(token, now=now)
        user = User.objects.select_for_update().get(pk=user.pk)
        check_invitation(token, now=now)  # a second tab may have used it meanwhile
        if not password:
            raise _error("password", _("Enter a password."), Code.REQUIRED)
        _check_password(password, user)
        user.set_password(password)
        user.email_verified_at = user.email_verified_at or timezone.now()
        fields = ["password", "email_verified_at"]
        if full_name.strip() and not user.full_name:
            user.full_name = full_name.strip()[:MAX_NAME_LENGTH]
            fields.append("full_name")
        user.save(update_fields=fields)
        record(actor, Action.STAFF_INVITATION_ACCEPTED, user)
    return user


# --- roles and deactivation ---------------------------------------------------------------------


def change_role(*, actor: Actor, member: str | int, role: str, finance: bool | None = None) -> User:
    """Set a staff member's role (and finance role, unless None: kept as it is)."""
    stored_role = _role(role)
    with transaction.atomic():
        user = get_staff_for(actor, member)
        if user.role == Role.TENANT_ADMIN and stored_role != Role.TENANT_ADMIN and user.is_active:
            _keep_an_admin(user)
        user = User.objects.select_for_update().get(pk=user.pk)
        before = member_of(user)
        if user.role != stored_role:
            user.role = stored_role
            user.save(update_fields=["role"])
        if finance is not None and finance != before.finance:
            _set_finance(user, finance)
        after_finance = before.finance if finance is None else finance
        if (before.role, before.finance) != (role, after_finance):
            record(
                actor,
                Action.STAFF_ROLE_CHANGED,
                user,
                role_before=before.role,
                role=role,
                finance_before=before.finance,
                finance=after_finance,
            )
    return user


def deactivate_staff(*, actor: Actor, member: str | int) -> User:
    """Close a staff account: no sign-in, no invitation link; its history stays."""
    with transaction.atomic():
        user = get_staff_for(actor, member)
        if user.role == Role.TENANT_ADMIN and user.is_active:
            _keep_an_admin(user)
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
            record(actor, Action.STAFF_DEACTIVATED, user)
    return user


def reactivate_staff(*, actor: Actor, member: str | int) -> User:
    with transaction.atomic():
        user = get_staff_for(actor, member, lock=True)
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
            record(actor, Action.STAFF_REACTIVATED, user)
    return user


def staff_message(user: User, verb: str) -> str:
    """One line for the CLI and the page after a change ("invited", "deactivated", …)."""
    messages = {
        "invited": _("Invited %(email)s as %(role)s."),
        "resent": _("Sent the invitation to %(email)s again."),
        "role": _("%(email)s is now %(role)s."),
        "deactivated": _("%(email)s is deactivated."),
        "reactivated": _("%(email)s is active again."),
    }
    member = member_of(user)
    role = member.role_label + (_(" with finance") if member.finance else "")
    return messages[verb] % {"email": user.email, "role": role}


# --- onboarding (registered with tenants.onboarding by the accounts app) ------------------------


def invite_first_admin(*, actor: Actor, email: str) -> User:
    return invite_staff(actor=actor, email=email, role="tenant_admin")


def resend_admin_invitations(*, actor: Actor) -> list[str]:
    """The operator's "send the invitation again": to every tenant admin not yet accepted."""
    _require_manager(actor)
    pending = [
        user.email
        for user in User.objects.filter(role=Role.TENANT_ADMIN, is_active=True)
        if _pending(user)
    ]
    if not pending:
        raise code_error(
            Code.NO_PENDING_INVITATION,
            _("Every tenant admin of this tenant has accepted the invitation already."),
        )
    for email in pending:
        resend_invitation(actor=actor, member=email)
    return pending
