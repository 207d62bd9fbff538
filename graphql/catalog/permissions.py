"""The catalogue API is open to anonymous citizens, on purpose: it is the public service catalogue.

`AllowAnonymous` comes from the GraphQL core (graphql/core/permissions.py) where that exists; until
the core is merged into this branch, an identical local declaration stands in for it.
"""

from __future__ import annotations

from typing import Any

from strawberry import Info
from strawberry.permission import BasePermission

try:
    from portalwerk.graphql.core.permissions import AllowAnonymous
except ImportError:  # pragma: no cover - the core lands with the merge

    class AllowAnonymous(BasePermission):  # type: ignore[no-redef]
        """Open to everyone, signed in or not: an operation anonymous citizens may call."""

        def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
            return True


__all__ = ["AllowAnonymous"]
