"""Settings for the test run: the one settings module, on the test suite's own embedded cluster
(unless DATABASE_URL points elsewhere)."""

import os

os.environ.setdefault("PORTALWERK_TESTING", "1")
os.environ.setdefault("PORTALWERK_TENANT_CACHE_SECONDS", "30")
# URLs without a port, even while a demo runs on the same home.
os.environ.setdefault("PORTALWERK_PUBLIC_PORT", "")
# Stripe is tested against stripe-mock; the demo provider comes with the demo plugins (on in tests).
os.environ.setdefault("PORTALWERK_PAYMENT_PLUGINS", "stripe")
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
