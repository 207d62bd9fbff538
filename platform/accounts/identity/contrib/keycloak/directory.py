"""Clerks from a tenant's own directory (AD or LDAP, federated by Keycloak) join the tenant's
organization at their first sign-in.

Keycloak 26 links no user federation to an organization: a directory user imported by an LDAP
provider (import on) can be an organization member, but nothing makes them one (keycloak#35888;
Keycloak's "Support for federated members"). So the portal does it, per person, at run time: who
signs in on a tenant's host without being a member, and whose Keycloak account was imported by
the LDAP provider that belongs to that tenant (the provider named after the tenant's slug,
`<slug>` or `<slug>:<anything>`), is added to the tenant's organization, and the sign-in is asked
of Keycloak once more, which answers at once from its session with a token that names the
organization. Entering stays decided by the token alone: the organization, and the role the
person's directory group maps to. A directory of another tenant never makes anyone a member
here."""

from __future__ import annotations

from keycloak.exceptions import KeycloakError

from portalwerk.platform.accounts.identity.contrib.keycloak import members, oidc

LDAP_PROVIDER = "ldap"


def belongs_to(component: dict, slug: str) -> bool:
    name = component.get("name") or ""
    return component.get("providerId") == LDAP_PROVIDER and (
        name == slug or name.startswith(f"{slug}:")
    )


def join_organization(tenant, claims: dict) -> bool:
    """Make the person these (validated) claims name a member of the tenant's organization if
    they come from the tenant's own directory and the token does not name it yet; whether the
    sign-in should be asked again for a token that does."""
    found = claims.get("organization") or []
    if tenant.is_platform or tenant.slug in found:
        return False
    try:
        admin = oidc.admin()
        link = admin.get_user(claims["sub"]).get("federationLink")
        if not link or not belongs_to(admin.get_component(link), tenant.slug):
            return False
        organization = members.organization_id(admin, tenant.slug)
        joined = {o["id"] for o in admin.get_user_organizations(claims["sub"])}
        if organization not in joined:
            admin.organization_user_add(claims["sub"], organization)
    except (KeycloakError, LookupError, OSError) as exc:
        raise oidc.unavailable() from exc
    return True
