"""The permission classes, person by person and host by host."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from portalwerk.graphql.core.permissions import AllowAnonymous, IsClerk, IsOperator, IsSignedIn

PERSONAS = ["anonymous", "citizen", "clerk", "tenant_admin", "operator"]

# (permission, persona, host) -> allowed; host "tenant" is Alpha's, "platform" the base host.
ALLOWED = {
    AllowAnonymous: {(p, h) for p in PERSONAS for h in ("tenant", "platform")},
    IsSignedIn: {(p, h) for p in PERSONAS[1:] for h in ("tenant", "platform")},
    IsClerk: {("clerk", "tenant"), ("tenant_admin", "tenant")},
    IsOperator: {("operator", "platform")},
}


def _info(user, tenant):
    return SimpleNamespace(
        context=SimpleNamespace(request=SimpleNamespace(user=user, tenant=tenant))
    )


@pytest.mark.parametrize("permission", list(ALLOWED), ids=lambda p: p.__name__)
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("host", ["tenant", "platform"])
def test_who_may_pass(request, tenant_a, platform_tenant, permission, persona, host):
    # given a persona on a host (users from another schema never get a session there; the
    # classes must still refuse them if one ever did)
    user = AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)
    tenant = tenant_a if host == "tenant" else platform_tenant
    # when the permission is asked
    allowed = permission().has_permission(None, _info(user, tenant))
    # then only the listed combinations pass
    assert allowed is ((persona, host) in ALLOWED[permission])


@pytest.mark.parametrize("permission", [IsSignedIn, IsClerk, IsOperator], ids=lambda p: p.__name__)
def test_deactivated_users_pass_nothing_but_allow_anonymous(
    operator, clerk, tenant_a, platform_tenant, permission
):
    for user, tenant in ((operator, platform_tenant), (clerk, tenant_a)):
        user.is_active = False
        assert permission().has_permission(None, _info(user, tenant)) is False
        assert AllowAnonymous().has_permission(None, _info(user, tenant)) is True
