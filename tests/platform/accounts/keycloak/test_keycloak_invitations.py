"""Inviting a clerk where Keycloak keeps the accounts: the person is created in Keycloak (or
found there), joins the tenant's organization with the client role of their role, our row is
linked to them, and Keycloak mails the link to choose a password."""

from __future__ import annotations

import email
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from components import free_port
from django_tenants.utils import schema_context
from keycloak_realm import REALM

from portalwerk.platform.accounts import staff
from portalwerk.platform.authz.actors import system

pytestmark = pytest.mark.integration

IDENTITY = "portalwerk.platform.accounts.identity.contrib."


class Inbox:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def keycloak_mail(realm):
    """Keycloak's realm sends its mails to a real SMTP server on a loopback port."""
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    realm.admin.update_realm(
        REALM, {"smtpServer": {"host": "127.0.0.1", "port": str(port), "from": "sso@kc.example"}}
    )
    yield inbox
    realm.admin.update_realm(REALM, {"smtpServer": {}})
    controller.stop()


@pytest.fixture
def keycloak_first(settings):
    """Staff accounts live in Keycloak: it is the first identity plugin listed."""
    settings.PORTALWERK_PLUGINS = {
        **settings.PORTALWERK_PLUGINS,
        "identity": [IDENTITY + "keycloak", IDENTITY + "local"],
    }


def test_inviting_a_clerk_creates_them_in_keycloak_with_membership_and_role(
    realm, username, tenant_a, keycloak_first, keycloak_mail, mailoutbox
):
    address = f"{username}@kc.example"
    with schema_context(tenant_a.schema_name):
        user = staff.invite_staff(actor=system("tests"), email=address, role="processor")

    [person] = realm.admin.get_users({"email": address, "exact": "true"})
    with schema_context(tenant_a.schema_name):
        user.refresh_from_db()
    assert (user.identity_provider, user.external_id) == ("keycloak", person["id"])
    members = realm.admin.get_organization_members(realm.organizations["alpha"])
    assert person["id"] in {member["id"] for member in members}
    roles = realm.admin.get_client_roles_of_user(person["id"], realm.client_uuid)
    assert [role["name"] for role in roles] == ["alpha:processor"]
    deadline = time.monotonic() + 10
    while not keycloak_mail.messages and time.monotonic() < deadline:
        time.sleep(0.2)
    [mail] = keycloak_mail.messages
    assert mail["To"] == address
    text = "".join(
        part.get_payload(decode=True).decode() for part in mail.walk() if not part.is_multipart()
    )
    assert "/login-actions/action-token?key=" in text
    assert mailoutbox == []  # Keycloak mailed the link; the portal sent nothing of its own


def test_inviting_someone_keycloak_knows_links_them_and_mails_our_sign_in_link(
    realm, username, tenant_b, keycloak_first, mailoutbox, django_capture_on_commit_callbacks
):
    keycloak_id = realm.add_user(username, organizations=("alpha",), roles=("alpha:reader",))
    with schema_context(tenant_b.schema_name):
        user = staff.invite_staff(
            actor=system("tests"), email=f"{username}@kc.example", role="tenant_admin"
        )

    with schema_context(tenant_b.schema_name):
        user.refresh_from_db()
    assert user.external_id == keycloak_id
    members = realm.admin.get_organization_members(realm.organizations["beta"])
    assert keycloak_id in {member["id"] for member in members}
    roles = {
        r["name"] for r in realm.admin.get_client_roles_of_user(keycloak_id, realm.client_uuid)
    }
    assert roles == {"alpha:reader", "beta:tenant_admin"}
