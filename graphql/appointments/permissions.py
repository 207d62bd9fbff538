"""Declared permissions of the appointments operations. Stand-ins until the GraphQL core's
permission classes land in main; then these names map one to one onto those."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission


class AllowAnonymous(BasePermission):
    """Open to anonymous citizens, on purpose (declared, not forgotten)."""

    message = "Not allowed."

    def has_permission(self, source: Any, info, **kwargs) -> bool:
        return True


class IsClerk(BasePermission):
    message = "Only the tenant's staff may do this."

    def has_permission(self, source: Any, info, **kwargs) -> bool:
        user = getattr(info.context.request, "user", None)
        return bool(user is not None and user.is_authenticated and getattr(user, "is_clerk", False))
