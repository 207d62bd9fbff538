"""Permissions of the forms API: the GraphQL core's classes, plus `IsProcessor` for inbox
changes (a clerk reader may read the inbox but not change it)."""

from __future__ import annotations

from typing import Any

from strawberry import Info

from portalwerk.graphql.core.permissions import (
    NOT_ALLOWED,
    AllowAnonymous,
    IsClerk,
    IsSignedIn,
)
from portalwerk.platform.authz.actors import actor_for
from portalwerk.platform.authz.capabilities import can_process_submissions

__all__ = ["AllowAnonymous", "IsClerk", "IsProcessor", "IsSignedIn", "request_of"]


def request_of(info: Info) -> Any:
    return info.context.request


class IsProcessor(IsClerk):
    """A clerk who may change submissions (processor or tenant admin)."""

    message = NOT_ALLOWED

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return super().has_permission(source, info, **kwargs) and can_process_submissions(
            actor_for(request_of(info))
        )
