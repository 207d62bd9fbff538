"""The finance role of payments and granting it. What each role may do with payments (see
them, refund, export for finance) is in `portalwerk.platform.authz.capabilities`; this module
only tells the capabilities which tenant staff hold the finance role (a `FinanceAccess` row)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from portalwerk.billing.payments.errors import PaymentErrorCode as Code
from portalwerk.billing.payments.errors import _error
from portalwerk.billing.payments.models import FinanceAccess
from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import Actor, from_user

FINANCE = "finance"


def finance_roles(actor: Actor) -> list[str]:
    """The extra role a `FinanceAccess` row gives; only tenant staff can hold it."""
    if actor.is_tenant_staff and FinanceAccess.objects.filter(user_id=actor.user_id).exists():
        return [FINANCE]
    return []


def _grant(user) -> None:
    FinanceAccess.objects.get_or_create(user=user)


def _revoke(user) -> None:
    FinanceAccess.objects.filter(user=user).delete()


def _holders() -> set[int]:
    return set(FinanceAccess.objects.values_list("user_id", flat=True))


# the staff services (accounts) grant and revoke the role through this, without importing us
finance_store = capabilities.RoleStore(grant=_grant, revoke=_revoke, holders=_holders)


def can_see_payments(actor: Actor) -> bool:
    return capabilities.can_see_payments(actor)


def is_finance(actor: Actor) -> bool:
    return capabilities.can_export_reconciliation(actor)


def can_refund(actor: Actor) -> bool:
    return capabilities.can_refund(actor)


@transaction.atomic
def grant_finance_role(*, actor: Actor, user) -> FinanceAccess:
    capabilities.require(actor, capabilities.Capability.MANAGE_STAFF)
    if not from_user(user).is_tenant_staff:
        raise _error(Code.PERMISSION_DENIED, _("Only staff can have the finance role."), "user")
    access, _created = FinanceAccess.objects.get_or_create(user=user)
    return access
