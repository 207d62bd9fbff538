"""Keycloak is on only where KEYCLOAK_* is set: a process started without it (as `make demo` is)
signs people in with local accounts only, and setting it puts single sign-on first."""

from __future__ import annotations

import json
import os
import subprocess
import sys

STARTUP = """
import json, django
django.setup()
from django.conf import settings
from portalwerk.platform.accounts.identity.registry import identity_providers
print(json.dumps({
    "providers": [cls.name for cls in identity_providers.enabled_classes()],
    "installed": "keycloak" in {app.split(".")[-1] for app in settings.INSTALLED_APPS},
}))
"""


def started(tmp_path, **env) -> dict:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PORTALWERK_", "DJANGO_", "KEYCLOAK_"))
    }
    clean.update(
        PORTALWERK_HOME=str(tmp_path),
        PORTALWERK_SECRET_KEY="k" * 50,
        DJANGO_SETTINGS_MODULE="portalwerk.platform.settings",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", STARTUP], env=clean, capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_keycloak_settings_only_local_accounts_exist(tmp_path):
    assert started(tmp_path, DJANGO_DEBUG="1") == {"providers": ["local"], "installed": False}


def test_keycloak_settings_put_single_sign_on_before_local_accounts(tmp_path):
    assert started(
        tmp_path,
        KEYCLOAK_SERVER_URL="https://sso.example",
        KEYCLOAK_REALM="portalwerk",
        KEYCLOAK_CLIENT_ID="portal",
        KEYCLOAK_CLIENT_SECRET="s",
    ) == {"providers": ["keycloak", "local"], "installed": True}
