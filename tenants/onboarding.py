"""What other apps add to onboarding. Tenancy knows no feature app (an import contract), so the
accounts app registers here how the first tenant admin is invited (`register_admin_inviter`);
tenant creation and the operator's "send the invitation again" call through it. The catalogue
registers the demo content an onboarding may ask for (`register_content_seeder`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import Actor
from portalwerk.tenants.models import Tenant


@dataclass(frozen=True)
class AdminInviter:
    #: invite(actor=, email=) in the tenant's schema: the first tenant admin's account and mail
    invite: Callable[..., object]
    #: resend(actor=) in the tenant's schema: the addresses invited again (pending admins)
    resend: Callable[..., list[str]]
    #: check(email): raises the ValidationError `invite` would raise for this address
    check: Callable[[str], object]


_inviter: AdminInviter | None = None


def register_admin_inviter(inviter: AdminInviter) -> None:
    global _inviter
    _inviter = inviter


def _registered() -> AdminInviter:
    if _inviter is None:
        raise RuntimeError("No app registered how tenant admins are invited (accounts does).")
    return _inviter


def check_admin_email(email: str) -> None:
    """Refuse an address the invitation would refuse, before anything of the tenant is made."""
    try:
        _registered().check(email)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise ValidationError(
                [e for errors in exc.error_dict.values() for e in errors]
            ) from None
        raise


def invite_first_admin(*, actor: Actor, tenant: Tenant, email: str) -> None:
    """Invite `email` as tenant admin of `tenant`, in the caller's transaction."""
    with schema_context(tenant.schema_name):
        try:
            _registered().invite(actor=actor, email=email)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            # the input of tenant creation calls the address `admin_email`
            raise ValidationError(
                {"admin_email" if f == "email" else f: e for f, e in exc.error_dict.items()}
            ) from None


def resend_admin_invitation(*, actor: Actor, tenant: Tenant) -> list[str]:
    """Send the invitation again to every tenant admin of `tenant` who has not accepted it."""
    with schema_context(tenant.schema_name):
        return _registered().resend(actor=actor)


_content_seeder: Callable[[Tenant], object] | None = None


def register_content_seeder(seeder: Callable[[Tenant], object]) -> None:
    """`seeder(tenant)`: the template library's demo services adopted into `tenant`, with the
    demo offices and portal settings; idempotent (what exists already is left alone)."""
    global _content_seeder
    _content_seeder = seeder


def seed_content(tenant: Tenant) -> bool:
    """The registered demo content put into `tenant`; False when no app registered any."""
    if _content_seeder is None:
        return False
    _content_seeder(tenant)
    return True
