from __future__ import annotations

import strawberry

from portalwerk.graphql.core.extensions import EXTENSIONS


def build_schema(query: type, mutation: type | None = None) -> strawberry.Schema:
    """A schema with Portalwerk's limits, introspection switch and query optimizer."""
    return strawberry.Schema(query=query, mutation=mutation, extensions=EXTENSIONS)
