"""The messages framework's cookie under the same `__Host-` rule as the session, CSRF and language
cookies (settings.py): Django names it "messages" in code, with no setting to change it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.messages.storage.session import SessionStorage


class HostCookieStorage(CookieStorage):
    @property
    def cookie_name(self) -> str:
        return "__Host-messages" if settings.SESSION_COOKIE_SECURE else "messages"


class MessageStorage(FallbackStorage):
    """Django's default (a cookie, the session for what does not fit), with the cookie renamed."""

    storage_classes = (HostCookieStorage, SessionStorage)
