"""Who may retry a delivery: staff with the capability (clerk processors, tenant admins)."""

from __future__ import annotations

from typing import Any

from strawberry import Info

from portalwerk.graphql.core.permissions import NOT_ALLOWED, IsClerk
from portalwerk.platform.authz.actors import actor_for
from portalwerk.platform.authz.capabilities import can_retry_deliveries


class CanRetryDeliveries(IsClerk):
    message = NOT_ALLOWED

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return super().has_permission(source, info, **kwargs) and can_retry_deliveries(
            actor_for(info.context.request)
        )
