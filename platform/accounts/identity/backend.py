"""Django's authentication backend, asking each enabled identity provider in turn.

Password sign-ins are rate limited here, per email address and client IP, per IP and per address
across IPs (see `signing_in.sign_in_retry_after`), so that every way in that goes through Django's
`authenticate` (the portal's sign-in page, the admin login pages, an API) counts against the
same allowance."""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend
from django.core.exceptions import PermissionDenied

from portalwerk.platform.accounts import signing_in
from portalwerk.platform.accounts.identity.base import PasswordCredentials
from portalwerk.platform.accounts.identity.registry import identity_providers
from portalwerk.platform.accounts.models import User
from portalwerk.platform.client import client_ip


class IdentityBackend(BaseBackend):
    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        email = email or username
        if not email or password is None:
            return None
        ip = client_ip(request)
        if signing_in.sign_in_retry_after(email=email, ip=ip) is not None:
            raise PermissionDenied  # `authenticate` then answers None without asking further
        credentials = PasswordCredentials(email=email, password=password)
        for provider in identity_providers.enabled():
            if not provider.accepts_passwords:
                continue
            identity = provider.authenticate(credentials)
            if identity is not None:
                user = User.objects.filter(pk=identity.user_id, is_active=True).first()
                if user is not None:
                    signing_in.clear_failed_sign_ins(email=email, ip=ip)
                    return user
        signing_in.record_failed_sign_in(email=email, ip=ip)
        return None

    def get_user(self, user_id):
        return User.objects.filter(pk=user_id, is_active=True).first()

    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.has_perm(perm, obj)
