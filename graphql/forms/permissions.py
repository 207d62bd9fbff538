"""Declared permissions of the forms API. Each field and mutation names one of these; an
operation open to anonymous citizens says so with `AnyCitizen`.

(These are plain strawberry permissions; the merge into main may swap them for the GraphQL
core's permission classes of the same meaning.)"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from portalwerk.platform.accounts.models import Role


def request_of(info) -> Any:
    context = info.context
    return context["request"] if isinstance(context, dict) else context.request


def user_of(info):
    return request_of(info).user


class AnyCitizen(BasePermission):
    """Open to everyone on the tenant host, signed in or not."""

    message = "not_found"

    def has_permission(self, source, info, **kwargs) -> bool:
        tenant = getattr(request_of(info), "tenant", None)
        return tenant is not None and not tenant.is_platform


class SignedIn(AnyCitizen):
    message = "not_found"

    def has_permission(self, source, info, **kwargs) -> bool:
        return super().has_permission(source, info) and user_of(info).is_authenticated


class Clerk(SignedIn):
    message = "not_found"

    def has_permission(self, source, info, **kwargs) -> bool:
        user = user_of(info)
        return super().has_permission(source, info) and user.is_active and user.is_clerk


class Processor(Clerk):
    message = "not_found"

    def has_permission(self, source, info, **kwargs) -> bool:
        user = user_of(info)
        return super().has_permission(source, info) and user.role in {
            Role.CLERK_PROCESSOR,
            Role.TENANT_ADMIN,
        }
