"""What the `portalwerk` login theme needs from the test Keycloak beyond `make_realm`: the
tenant's organization carrying the tenant's name and colour (its attribute `portalwerk-colour`),
as provisioning sets them, and the client accepting a portal that runs on a port of its own (the
browser tests' and the bench's live server)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from keycloak_realm import Realm

COLOUR_ATTRIBUTE = "portalwerk-colour"


@contextmanager
def branded(realm: Realm, slug: str, *, name: str, colour: str) -> Iterator[None]:
    """The tenant's organization named and coloured like the tenant, restored afterwards."""
    organization_id = realm.organizations[slug]
    before = realm.admin.get_organization(organization_id)
    changed = {
        **before,
        "name": name,
        "attributes": {**(before.get("attributes") or {}), COLOUR_ATTRIBUTE: [colour]},
    }
    realm.admin.update_organization(organization_id, changed)
    try:
        yield
    finally:
        realm.admin.update_organization(organization_id, before)


@contextmanager
def portal_at(realm: Realm, base_url: str) -> Iterator[None]:
    """The portal client also redirecting to `base_url` (scheme, host and port), for a while."""
    before = realm.admin.get_client(realm.client_uuid)
    attributes = dict(before.get("attributes") or {})
    logout_uris = [u for u in attributes.get("post.logout.redirect.uris", "").split("##") if u]
    changed = {
        **before,
        "redirectUris": [
            *before.get("redirectUris", []),
            f"{base_url}/accounts/keycloak/callback/",
            f"{base_url}/accounts/keycloak/sign-in/",
        ],
        "attributes": {
            **attributes,
            "post.logout.redirect.uris": "##".join([*logout_uris, f"{base_url}/*"]),
        },
    }
    realm.admin.update_client(realm.client_uuid, changed)
    try:
        yield
    finally:
        realm.admin.update_client(realm.client_uuid, before)
