"""Permissions of the forms API: the GraphQL core's classes (casework's `IsProcessor` lives in
`graphql/casework/permissions.py`)."""

from __future__ import annotations

from typing import Any

from strawberry import Info

from portalwerk.graphql.core.permissions import AllowAnonymous, IsClerk, IsSignedIn

__all__ = ["AllowAnonymous", "IsClerk", "IsSignedIn", "request_of"]


def request_of(info: Info) -> Any:
    return info.context.request
