"""Settings for the test run: the one settings module, on the test suite's own embedded cluster
(unless DATABASE_URL points elsewhere)."""

import os

os.environ.setdefault("PORTALWERK_TESTING", "1")
os.environ.setdefault("PORTALWERK_TENANT_CACHE_SECONDS", "30")
# URLs without a port, even while a demo runs on the same home.
os.environ.setdefault("PORTALWERK_PUBLIC_PORT", "")
# Stripe is tested against stripe-mock; the demo provider comes with the demo plugins (on in tests).
os.environ.setdefault("PORTALWERK_PAYMENT_PLUGINS", "stripe")
# A real Keycloak serves single sign-on in the tests: the `keycloak` session fixture starts it on
# this port when the first test needs it (tests/components.py) and creates the realm, client and
# organizations. Local accounts stay first, so staff invitations stay local unless a test says.
if not os.environ.get("KEYCLOAK_SERVER_URL"):
    import socket

    with socket.socket() as _sock:
        _sock.bind(("127.0.0.1", 0))
        os.environ["KEYCLOAK_SERVER_URL"] = f"http://127.0.0.1:{_sock.getsockname()[1]}"
    os.environ["KEYCLOAK_REALM"] = "portalwerk"
    os.environ["KEYCLOAK_CLIENT_ID"] = "portalwerk-portal"
    os.environ["KEYCLOAK_CLIENT_SECRET"] = "test-client-secret-not-for-production"
os.environ.setdefault("PORTALWERK_IDENTITY_PLUGINS", "local,keycloak")
# The stand-in state accounts the tests broker (tests/state_accounts.py).
os.environ.setdefault("KEYCLOAK_STATE_ACCOUNTS", "servicekonto:person,elster:business")
if not os.environ.get("DATABASE_URL"):
    from portalwerk.platform import embedded_db, env

    _server = embedded_db.ensure_running(env.home() / "test-pg", fast_unsafe=True)
    os.environ["DATABASE_URL"] = _server.url()
    os.environ["PORTALWERK_TEST_PG_STARTED"] = "1" if _server.started_here else ""

from portalwerk.platform.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = [
    # Argon2 stays first (it is what production uses), tuned down so that fixtures stay fast.
    "portalwerk.platform.accounts.hashers.FastArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
