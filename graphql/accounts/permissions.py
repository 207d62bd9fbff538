"""`IsStaffManager`: a tenant admin of the host's tenant (`manage_staff`), for the staff API."""

from __future__ import annotations

from typing import Any

from strawberry import Info

from portalwerk.graphql.core.permissions import NOT_ALLOWED, IsClerk
from portalwerk.platform.authz.actors import actor_for
from portalwerk.platform.authz.capabilities import can_manage_modules, can_manage_staff


class IsStaffManager(IsClerk):
    message = NOT_ALLOWED

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return super().has_permission(source, info, **kwargs) and can_manage_staff(
            actor_for(info.context.request)
        )


class IsModuleManager(IsClerk):
    message = NOT_ALLOWED

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return super().has_permission(source, info, **kwargs) and can_manage_modules(
            actor_for(info.context.request)
        )
