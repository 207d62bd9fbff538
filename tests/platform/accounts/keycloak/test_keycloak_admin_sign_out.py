"""The "Log out" button of the back office and of the operator console (Django admin pages) is
the portal's sign-out: after single sign-on it ends the Keycloak session too, not only ours."""

from __future__ import annotations

import pytest

from portalwerk.platform.accounts.identity.contrib.keycloak import oidc
from tests.platform.accounts.keycloak.conftest import sign_in

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("host", "console", "organizations", "roles"),
    [
        ("alpha.localhost", "/backoffice/", ("alpha",), ("alpha:processor",)),
        ("localhost", "/admin/", (), ("platform:operator",)),
    ],
)
def test_logging_out_of_an_admin_console_ends_the_keycloak_session(
    realm, username, client_for, tenant_a, host, console, organizations, roles
):
    realm.add_user(username, organizations=organizations, roles=roles)
    client = client_for(host)
    assert sign_in(client, username, next_url=console)["Location"] == console
    page = client.get(console)
    assert page.status_code == 200

    # when the person presses the console's "Log out" button (its form posts to admin:logout)
    out = client.post(f"{console}logout/")

    # then Keycloak is asked to end its session as well, and ours has ended
    assert out.status_code == 302
    assert out["Location"].startswith(f"{oidc.issuer()}/protocol/openid-connect/logout?")
    assert client.get(console).status_code == 302
