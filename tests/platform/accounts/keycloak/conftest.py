"""Signing in through the real Keycloak: the portal side through Django's test client, the
person's side through `requests` filling in Keycloak's own login form (username first, then
the password, as Keycloak asks when organizations are on)."""

from __future__ import annotations

import html
import re
import uuid
from urllib.parse import urlsplit

import pytest
import requests
from keycloak_realm import PASSWORD


class KeycloakBrowser:
    """The person's browser at Keycloak: keeps Keycloak's cookies between sign-ins. Keycloak
    marks them Secure, which browsers honour on http://127.0.0.1 but requests does not."""

    def __init__(self, language: str = "en"):
        self.session = requests.Session()
        # the realm's pages default to German; these tests read Keycloak's English messages
        self.session.headers["Accept-Language"] = language

    def _keep_cookies(self):
        for cookie in self.session.cookies:
            cookie.secure = False

    def get(self, url: str) -> requests.Response:
        response = self.session.get(url, allow_redirects=False, timeout=30)
        self._keep_cookies()
        return response

    def sign_in(self, authorize_url: str, username: str, password: str = PASSWORD) -> str:
        """Keycloak's answer for the portal: the callback URL it redirects to."""
        response = self.get(authorize_url)
        for _step in range(4):
            if response.status_code == 302:
                return response.headers["Location"]
            form = re.search(r'<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"', response.text)
            assert form, f"no login form at Keycloak: {response.status_code} {response.text[:300]}"
            fields = set(re.findall(r'<input[^>]*name="([^"]+)"', response.text))
            data = {}
            if "username" in fields:
                data["username"] = username
            if "password" in fields:
                data["password"] = password
            response = self.session.post(
                html.unescape(form.group(1)), data=data, allow_redirects=False, timeout=30
            )
            self._keep_cookies()
        raise AssertionError(f"Keycloak did not sign {username} in: {response.text[:500]}")


def local_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def sign_in(client, username: str, *, next_url: str = "/backoffice/", browser=None):
    """Start on the portal, sign in at Keycloak, come back: the portal's answer to the callback."""
    browser = browser or KeycloakBrowser()
    client.defaults.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
    start = client.get("/accounts/keycloak/sign-in/", {"next": next_url})
    assert start.status_code == 302, start.content[:300]
    callback = browser.sign_in(start["Location"], username)
    return client.get(local_path(callback))


@pytest.fixture
def realm(keycloak):
    return keycloak


@pytest.fixture
def username():
    return f"kc-{uuid.uuid4().hex[:10]}"
