"""Per-user work in Keycloak at run time, with python-keycloak's admin API as the portal client's
service account (Terraform owns the realm, organizations, client and roles; this code only adds
people to them): inviting staff, and deactivating here whom Keycloak no longer lists."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from keycloak.exceptions import KeycloakError

from portalwerk.platform.accounts.identity.base import Invitation
from portalwerk.platform.accounts.identity.contrib.keycloak import oidc, signing_in
from portalwerk.platform.accounts.models import STAFF_ROLES, Role, User
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import Actor
from portalwerk.tenants.current import current_tenant

#: what a person invited into Keycloak does on the link Keycloak mails: choose a password and
#: confirm the address
FIRST_ACTIONS = ["UPDATE_PASSWORD", "VERIFY_EMAIL"]


def _tenant():
    return current_tenant()


def organization_id(admin, slug: str) -> str:
    for organization in admin.get_organizations({"search": slug, "exact": "true"}):
        if organization.get("alias") == slug:
            return organization["id"]
    raise LookupError(f"Keycloak has no organization with the alias {slug!r}")


def client_role(user: User) -> str:
    tenant = _tenant()
    if user.role == Role.OPERATOR:
        return signing_in.OPERATOR_ROLE
    return f"{tenant.slug}:{signing_in.ROLE_SUFFIX[user.role]}"


def invite(invitation: Invitation, *, sign_in_url: str) -> str | None:
    """Create (or find) the person in Keycloak, add them to the tenant's organization with the
    client role of their role here and link our row to them. A new person gets Keycloak's own
    mail to choose a password (None: we send nothing); someone Keycloak knows already gets our
    invitation with the link to sign in here."""
    user = User.objects.get(pk=invitation.user_id)
    tenant = _tenant()
    try:
        admin = oidc.admin()
        found = admin.get_users({"email": invitation.email, "exact": "true"})
        created = not found
        if found:
            keycloak_id = found[0]["id"]
        else:
            keycloak_id = admin.create_user(
                {
                    "username": invitation.email,
                    "email": invitation.email,
                    "firstName": user.full_name,
                    "enabled": True,
                    "attributes": {"locale": [invitation.language]},
                }
            )
        if not tenant.is_platform:
            organization = organization_id(admin, tenant.slug)
            member_ids = {m["id"] for m in admin.get_organization_members(organization)}
            if keycloak_id not in member_ids:
                admin.organization_user_add(keycloak_id, organization)
        client = admin.get_client_id(settings.KEYCLOAK_CLIENT_ID)
        admin.assign_client_role(
            keycloak_id, client, [admin.get_client_role(client, client_role(user))]
        )
        if created:
            admin.send_update_account(
                keycloak_id,
                FIRST_ACTIONS,
                client_id=settings.KEYCLOAK_CLIENT_ID,
                redirect_uri=sign_in_url,
            )
    except (KeycloakError, LookupError, OSError) as exc:
        raise oidc.unavailable() from exc
    user.external_id = keycloak_id
    user.save(update_fields=["external_id"])
    return None if created else sign_in_url


def sign_in_url() -> str:
    from portalwerk.platform.accounts.services import _absolute_url

    return _absolute_url("keycloak:sign-in")


def listed_ids() -> set[str]:
    """The Keycloak ids of the enabled people who may still sign in on this host."""
    admin = oidc.admin()
    tenant = _tenant()
    if tenant.is_platform:
        client = admin.get_client_id(settings.KEYCLOAK_CLIENT_ID)
        people = admin.get_client_role_members(client, signing_in.OPERATOR_ROLE)
    else:
        people = admin.get_organization_members(organization_id(admin, tenant.slug))
    return {person["id"] for person in people if person.get("enabled", True)}


def deactivate_unlisted(*, actor: Actor) -> list[User]:
    """Deactivate the single-sign-on accounts of this schema whom Keycloak no longer lists
    (removed from the organization, or disabled there); answers them."""
    try:
        listed = listed_ids()
    except (KeycloakError, LookupError, OSError) as exc:
        raise oidc.unavailable() from exc
    gone = []
    with transaction.atomic():
        # staff only: citizens signing in through a state account are no organization's members
        rows = User.objects.select_for_update().filter(
            identity_provider=signing_in.PROVIDER, is_active=True, role__in=STAFF_ROLES
        )
        for user in rows.exclude(external_id__in=listed).exclude(external_id=""):
            user.is_active = False
            user.save(update_fields=["is_active"])
            record(actor, Action.STAFF_DEACTIVATED, user)
            gone.append(user)
    return gone
