"""What an actor may do, from its roles, through one table.

`ROLE_CAPABILITIES` is the only place that says which role may do what. Services ask the
`can_*` functions (or `require`), and so do the GraphQL permission classes, the admin and the
templates (`caps` in every template context, see `context`). Roles are data: the user's own
role, plus any extra roles a registered source grants (the finance role of payments today,
Keycloak claims later); see `register_role_source`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portalwerk.platform.authz.actors import ROLE_KINDS, Actor, check


class Capability(StrEnum):
    USE_BACKOFFICE = "use_backoffice"
    READ_SUBMISSIONS = "read_submissions"
    PROCESS_SUBMISSIONS = "process_submissions"
    SEE_APPOINTMENTS = "see_appointments"
    MANAGE_APPOINTMENTS = "manage_appointments"
    # catalogue, forms, branding, fee accounts: what the back office lets staff configure
    MANAGE_SETTINGS = "manage_settings"
    MANAGE_STAFF = "manage_staff"
    # switch the tenant's modules on and off, within what its contract allows
    MANAGE_MODULES = "manage_modules"
    # connect the tenant's forms to external data sources (addresses, credentials)
    MANAGE_DATA_SOURCES = "manage_data_sources"
    SEE_PAYMENTS = "see_payments"
    REFUND = "refund"
    EXPORT_RECONCILIATION = "export_reconciliation"
    MANAGE_MERCHANT_ACCOUNT = "manage_merchant_account"
    READ_AUDIT_LOG = "read_audit_log"
    # hand-over: see each delivery of a submission and the dead-letter list; try a failed one
    # again or re-send a delivered one; configure where submissions go (targets)
    VIEW_DELIVERIES = "view_deliveries"
    RETRY_DELIVERIES = "retry_deliveries"
    MANAGE_TARGETS = "manage_targets"
    # download the tenant's whole data as one archive (tenants.archive)
    EXPORT_TENANT = "export_tenant"
    OPERATE_PLATFORM = "operate_platform"


C = Capability
_READER = frozenset(
    {C.USE_BACKOFFICE, C.READ_SUBMISSIONS, C.SEE_APPOINTMENTS, C.SEE_PAYMENTS, C.VIEW_DELIVERIES},
)
_PROCESSOR = _READER | {
    C.PROCESS_SUBMISSIONS,
    C.MANAGE_APPOINTMENTS,
    C.MANAGE_SETTINGS,
    C.REFUND,
    C.RETRY_DELIVERIES,
}

# role -> capabilities. The keys are role values (accounts.models.Role and the extra roles
# sources grant), strings on purpose: an identity provider's claim fills them as they are.
ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    "citizen": frozenset(),
    "clerk_reader": _READER,
    "clerk_processor": _PROCESSOR,
    "tenant_admin": _PROCESSOR
    | {
        C.MANAGE_STAFF,
        C.MANAGE_MODULES,
        C.MANAGE_DATA_SOURCES,
        C.EXPORT_RECONCILIATION,
        C.MANAGE_MERCHANT_ACCOUNT,
        C.READ_AUDIT_LOG,
        C.MANAGE_TARGETS,
        C.EXPORT_TENANT,
    },
    "operator": frozenset({C.OPERATE_PLATFORM}),
    # granted to tenant staff on top of their role (payments' FinanceAccess)
    "finance": frozenset({C.REFUND, C.EXPORT_RECONCILIATION}),
}

RoleSource = Callable[[Actor], Iterable[str]]
_role_sources: dict[RoleSource, frozenset[str]] = {}


def register_role_source(source: RoleSource, *, roles: Iterable[str]) -> RoleSource:
    """Add a function that names extra roles of an actor, out of `roles`. It is asked only when
    the actor's own role does not grant the capability in question and one of `roles` would,
    and once per actor, so most checks cost no query."""
    unknown = set(roles) - set(ROLE_CAPABILITIES)
    if unknown:
        raise ValueError(f"Roles without an entry in ROLE_CAPABILITIES: {sorted(unknown)}")
    _role_sources[source] = frozenset(roles)
    return source


class RoleStore:
    """Where an extra role is kept (the finance role: a row of payments), so the staff services
    can grant and revoke it without knowing the app that keeps it."""

    def __init__(self, *, grant: Callable, revoke: Callable, holders: Callable) -> None:
        self.grant = grant  # grant(user)
        self.revoke = revoke  # revoke(user)
        self.holders = holders  # holders() -> ids of the users holding the role


_role_stores: dict[str, RoleStore] = {}


def register_role_store(role: str, store: RoleStore) -> None:
    if role not in ROLE_CAPABILITIES:
        raise ValueError(f"Role without an entry in ROLE_CAPABILITIES: {role!r}")
    _role_stores[role] = store


def role_store(role: str) -> RoleStore | None:
    """The store of an extra role, or None when no installed app keeps that role."""
    return _role_stores.get(role)


def _extra_roles(actor: Actor, source: RoleSource) -> frozenset[str]:
    cache = actor.cache.setdefault("extra_roles", {})
    if source not in cache:
        cache[source] = frozenset(source(actor)) & _role_sources[source]
    return cache[source]


def _granted(role: str) -> frozenset[Capability]:
    return ROLE_CAPABILITIES.get(role, frozenset())


def has(actor: Actor, capability: Capability) -> bool:
    check(actor)
    if not actor.is_active or actor.is_anonymous or actor.is_system or actor.is_link_holder:
        return False
    if capability in _granted(actor.role):
        return True
    for source, roles in _role_sources.items():
        if any(capability in _granted(role) for role in roles):
            if any(capability in _granted(role) for role in _extra_roles(actor, source)):
                return True
    return False


def roles_with(capability: Capability) -> list[str]:
    """The roles whose own entry grants `capability` (for queries such as "who can be
    assigned"); extra roles from sources are not users' roles and do not count."""
    return sorted(
        role
        for role, granted in ROLE_CAPABILITIES.items()
        if capability in granted and role in ROLE_KINDS
    )


def capabilities_of(actor: Actor) -> frozenset[Capability]:
    return frozenset(c for c in Capability if has(actor, c))


def can_use_backoffice(actor: Actor) -> bool:
    return has(actor, C.USE_BACKOFFICE)


def can_read_submissions(actor: Actor) -> bool:
    return has(actor, C.READ_SUBMISSIONS)


def can_process_submissions(actor: Actor) -> bool:
    return has(actor, C.PROCESS_SUBMISSIONS)


def can_see_appointments(actor: Actor) -> bool:
    return has(actor, C.SEE_APPOINTMENTS)


def can_manage_appointments(actor: Actor) -> bool:
    return has(actor, C.MANAGE_APPOINTMENTS)


def can_manage_settings(actor: Actor) -> bool:
    return has(actor, C.MANAGE_SETTINGS)


def can_manage_staff(actor: Actor) -> bool:
    return has(actor, C.MANAGE_STAFF)


def can_manage_modules(actor: Actor) -> bool:
    return has(actor, C.MANAGE_MODULES)


def can_manage_data_sources(actor: Actor) -> bool:
    return has(actor, C.MANAGE_DATA_SOURCES)


def can_see_payments(actor: Actor) -> bool:
    return has(actor, C.SEE_PAYMENTS)


def can_refund(actor: Actor) -> bool:
    return has(actor, C.REFUND)


def can_export_reconciliation(actor: Actor) -> bool:
    return has(actor, C.EXPORT_RECONCILIATION)


def can_manage_merchant_account(actor: Actor) -> bool:
    return has(actor, C.MANAGE_MERCHANT_ACCOUNT)


def can_read_audit_log(actor: Actor) -> bool:
    return has(actor, C.READ_AUDIT_LOG)


def can_export_tenant(actor: Actor) -> bool:
    return has(actor, C.EXPORT_TENANT)


def can_view_deliveries(actor: Actor) -> bool:
    return has(actor, C.VIEW_DELIVERIES)


def can_retry_deliveries(actor: Actor) -> bool:
    return has(actor, C.RETRY_DELIVERIES)


def can_manage_targets(actor: Actor) -> bool:
    return has(actor, C.MANAGE_TARGETS)


def can_operate_platform(actor: Actor) -> bool:
    return has(actor, C.OPERATE_PLATFORM)


def admin_permission(actor: Actor, perm: str) -> bool:
    """Django admin's `has_perm` in terms of capabilities: staff managers and operators may do
    everything, those who manage settings may change all but accounts, readers only view."""
    if has(actor, C.MANAGE_STAFF) or has(actor, C.OPERATE_PLATFORM):
        return True
    app_label, _dot, codename = perm.partition(".")
    if has(actor, C.MANAGE_SETTINGS):
        return app_label not in {"accounts", "auth"}
    if has(actor, C.USE_BACKOFFICE):
        return (codename or app_label).startswith("view_")
    return False


PERMISSION_DENIED = "permission_denied"


def permission_denied(message: str | None = None) -> ValidationError:
    """The one refusal services raise: a ValidationError with the code `permission_denied`."""
    return ValidationError(
        {"__all__": [ValidationError(message or _("You may not do this."), code=PERMISSION_DENIED)]}
    )


def require(actor: Actor, capability: Capability, message: str | None = None) -> None:
    if not has(actor, capability):
        raise permission_denied(message)
