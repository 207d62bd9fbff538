"""Permissions of the casework API: `IsProcessor` for inbox changes (a clerk reader may read the
inbox but not change it), on top of the GraphQL core's classes."""

from __future__ import annotations

from typing import Any

from strawberry import Info

from portalwerk.graphql.core.permissions import NOT_ALLOWED, IsClerk
from portalwerk.platform.authz.actors import actor_for
from portalwerk.platform.authz.capabilities import can_process_submissions

__all__ = ["IsClerk", "IsProcessor"]


class IsProcessor(IsClerk):
    """A clerk who may change submissions (processor or tenant admin)."""

    message = NOT_ALLOWED

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return super().has_permission(source, info, **kwargs) and can_process_submissions(
            actor_for(info.context.request)
        )
