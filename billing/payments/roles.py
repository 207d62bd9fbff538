"""Who may do what with payments: see them, refund them, export for finance; granting the
finance role."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from portalwerk.billing.payments.errors import PaymentErrorCode as Code
from portalwerk.billing.payments.errors import _error
from portalwerk.billing.payments.models import FinanceAccess


def _active_staff(actor) -> bool:
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and actor.is_active
        and getattr(actor, "is_clerk", False)
    )


def can_see_payments(actor) -> bool:
    return _active_staff(actor)


def is_finance(actor) -> bool:
    from portalwerk.platform.accounts.models import Role

    if not _active_staff(actor):
        return False
    return actor.role == Role.TENANT_ADMIN or FinanceAccess.objects.filter(user=actor).exists()


def can_refund(actor) -> bool:
    from portalwerk.platform.accounts.models import Role

    return _active_staff(actor) and (
        actor.role in {Role.CLERK_PROCESSOR, Role.TENANT_ADMIN} or is_finance(actor)
    )


@transaction.atomic
def grant_finance_role(*, actor, user) -> FinanceAccess:
    from portalwerk.platform.accounts.models import Role

    if not (_active_staff(actor) and actor.role == Role.TENANT_ADMIN):
        raise _error(Code.PERMISSION_DENIED, _("You may not do this."))
    if not getattr(user, "is_clerk", False):
        raise _error(Code.PERMISSION_DENIED, _("Only staff can have the finance role."), "user")
    access, _created = FinanceAccess.objects.get_or_create(user=user)
    return access
