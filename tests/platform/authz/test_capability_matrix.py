"""The authorization matrix of the one capability table: every role against every capability,
plus anonymous visitors, system jobs, deactivated accounts, the finance grant and users of
another tenant. The expectations are written out here, not derived from the table, so that a
change to the table shows up as a failing row."""

from __future__ import annotations

import pytest
from django.conf import settings
from django_tenants.utils import schema_context

from portalwerk.billing.payments.models import FinanceAccess
from portalwerk.platform.accounts.models import Role
from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import ActorKind, anonymous, from_user, system
from portalwerk.platform.authz.capabilities import Capability as C
from tests.conftest import make_user

READER = {
    C.USE_BACKOFFICE,
    C.READ_SUBMISSIONS,
    C.SEE_APPOINTMENTS,
    C.SEE_PAYMENTS,
    C.VIEW_DELIVERIES,
}
PROCESSOR = READER | {
    C.PROCESS_SUBMISSIONS,
    C.MANAGE_APPOINTMENTS,
    C.MANAGE_SETTINGS,
    C.REFUND,
    C.RETRY_DELIVERIES,
}
EXPECTED = {
    Role.CITIZEN: set(),
    Role.CLERK_READER: READER,
    Role.CLERK_PROCESSOR: PROCESSOR,
    Role.TENANT_ADMIN: PROCESSOR
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
    Role.OPERATOR: {C.OPERATE_PLATFORM},
}
KINDS = {
    Role.CITIZEN: ActorKind.CITIZEN,
    Role.CLERK_READER: ActorKind.CLERK,
    Role.CLERK_PROCESSOR: ActorKind.CLERK,
    Role.TENANT_ADMIN: ActorKind.TENANT_ADMIN,
    Role.OPERATOR: ActorKind.OPERATOR,
}
# the named functions services and views call, one per capability
FUNCTIONS = {
    C.USE_BACKOFFICE: capabilities.can_use_backoffice,
    C.READ_SUBMISSIONS: capabilities.can_read_submissions,
    C.PROCESS_SUBMISSIONS: capabilities.can_process_submissions,
    C.SEE_APPOINTMENTS: capabilities.can_see_appointments,
    C.MANAGE_APPOINTMENTS: capabilities.can_manage_appointments,
    C.MANAGE_SETTINGS: capabilities.can_manage_settings,
    C.MANAGE_STAFF: capabilities.can_manage_staff,
    C.MANAGE_MODULES: capabilities.can_manage_modules,
    C.MANAGE_DATA_SOURCES: capabilities.can_manage_data_sources,
    C.SEE_PAYMENTS: capabilities.can_see_payments,
    C.REFUND: capabilities.can_refund,
    C.EXPORT_RECONCILIATION: capabilities.can_export_reconciliation,
    C.MANAGE_MERCHANT_ACCOUNT: capabilities.can_manage_merchant_account,
    C.READ_AUDIT_LOG: capabilities.can_read_audit_log,
    C.VIEW_DELIVERIES: capabilities.can_view_deliveries,
    C.RETRY_DELIVERIES: capabilities.can_retry_deliveries,
    C.MANAGE_TARGETS: capabilities.can_manage_targets,
    C.EXPORT_TENANT: capabilities.can_export_tenant,
    C.OPERATE_PLATFORM: capabilities.can_operate_platform,
}


def test_every_role_and_every_capability_is_in_the_matrix():
    assert set(EXPECTED) == set(Role.values)
    assert set(FUNCTIONS) == set(C)
    assert set(Role.values) <= set(capabilities.ROLE_CAPABILITIES)


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("capability", list(C))
def test_role_capability_matrix(role, capability, tenant_a):
    # given a signed-in person with the role
    user = make_user(tenant_a, f"{role}@alpha.example", role)
    with schema_context(tenant_a.schema_name):
        actor = from_user(user)
        # when we ask, then the answer is the matrix's, through has() and the named function
        allowed = capability in EXPECTED[role]
        assert actor.kind == KINDS[role]
        assert capabilities.has(actor, capability) is allowed
        assert FUNCTIONS[capability](actor) is allowed


@pytest.mark.parametrize("capability", list(C))
def test_anonymous_and_system_actors_have_no_capability(capability):
    assert capabilities.has(anonymous(), capability) is False
    assert capabilities.has(system("nightly-purge"), capability) is False


@pytest.mark.parametrize("role", [Role.CLERK_PROCESSOR, Role.TENANT_ADMIN, Role.OPERATOR])
def test_a_deactivated_account_has_no_capability(role, tenant_a):
    user = make_user(tenant_a, "gone@alpha.example", role)
    user.is_active = False
    with schema_context(tenant_a.schema_name):
        assert capabilities.capabilities_of(from_user(user)) == frozenset()


def test_the_finance_grant_adds_refund_and_export_to_staff_only(tenant_a):
    reader = make_user(tenant_a, "reader@alpha.example", Role.CLERK_READER)
    citizen = make_user(tenant_a, "c@alpha.example", Role.CITIZEN)
    with schema_context(tenant_a.schema_name):
        # given a reader without the grant: no refunds, no export
        assert not capabilities.can_refund(from_user(reader))
        assert not capabilities.can_export_reconciliation(from_user(reader))
        # when both get a finance row (the citizen's could only be left over from a demotion)
        FinanceAccess.objects.create(user=reader)
        FinanceAccess.objects.create(user=citizen)
        # then the reader may refund and export, and nothing else changed; the citizen may not
        assert capabilities.capabilities_of(from_user(reader)) == READER | {
            C.REFUND,
            C.EXPORT_RECONCILIATION,
        }
        assert capabilities.capabilities_of(from_user(citizen)) == frozenset()


@pytest.mark.parametrize(
    ("role", "perm", "allowed"),
    [
        (Role.CLERK_READER, "catalog.view_service", True),
        (Role.CLERK_READER, "catalog.change_service", False),
        (Role.CLERK_PROCESSOR, "catalog.change_service", True),
        (Role.CLERK_PROCESSOR, "accounts.change_user", False),
        (Role.CLERK_PROCESSOR, "auth.view_group", False),
        (Role.TENANT_ADMIN, "accounts.change_user", True),
        (Role.OPERATOR, "tenants.change_tenant", True),
        (Role.CITIZEN, "catalog.view_service", False),
    ],
)
def test_admin_permissions_follow_the_capabilities(role, perm, allowed, tenant_a):
    user = make_user(tenant_a, "someone@alpha.example", role)
    with schema_context(tenant_a.schema_name):
        assert user.has_perm(perm) is allowed


def test_a_clerk_of_another_tenant_is_anonymous_on_this_tenants_host(
    tenant_a, tenant_b, other_tenant_clerk, client_for
):
    # given B's clerk, signed in on B, where the menu offers the inbox
    on_b = client_for(tenant_b)
    on_b.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert on_b.sign_in(other_tenant_clerk.email).status_code == 302
    assert "/backoffice/inbox/" in on_b.get("/").content.decode()
    # when the same session cookie is presented on A's host
    on_a = client_for(tenant_a)
    on_a.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    on_a.cookies[settings.SESSION_COOKIE_NAME] = on_b.cookies[settings.SESSION_COOKIE_NAME].value
    page = on_a.get("/").content.decode()
    # then A's portal treats the visitor as anonymous: no inbox, no back office
    assert "/backoffice/inbox/" not in page
    assert on_a.get("/backoffice/inbox/").status_code == 302
