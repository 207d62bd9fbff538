"""Django's authentication backend, asking each enabled identity provider in turn."""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend

from portalwerk.platform.accounts.identity import registry
from portalwerk.platform.accounts.identity.base import PasswordCredentials
from portalwerk.platform.accounts.models import User


class IdentityBackend(BaseBackend):
    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        email = email or username
        if not email or password is None:
            return None
        credentials = PasswordCredentials(email=email, password=password)
        for provider in registry.enabled():
            if not provider.accepts_passwords:
                continue
            identity = provider.authenticate(credentials)
            if identity is not None:
                return User.objects.filter(pk=identity.user_id, is_active=True).first()
        return None

    def get_user(self, user_id):
        return User.objects.filter(pk=user_id, is_active=True).first()

    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.has_perm(perm, obj)
