"""Schema extensions every Portalwerk schema runs with.

They are passed to strawberry as factories, which it calls once per request, so the limits and the
introspection switch follow the settings at request time (and `override_settings` in tests).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.conf import settings
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry_django.optimizer import DjangoOptimizerExtension


class DisableIntrospectionUnlessDebug(DisableIntrospection):
    """`__schema` and `__type` are refused unless settings.DEBUG is on (GraphiQL needs them)."""

    def on_operation(self) -> Iterator[None]:
        if settings.DEBUG:
            yield
        else:
            yield from super().on_operation()


def depth_limiter() -> SchemaExtension:
    return QueryDepthLimiter(max_depth=settings.GRAPHQL_MAX_DEPTH)


def alias_limiter() -> SchemaExtension:
    # strawberry >= 0.315.7 counts aliases inside fragments too (CVE-2026-47707).
    return MaxAliasesLimiter(max_alias_count=settings.GRAPHQL_MAX_ALIASES)


def token_limiter() -> SchemaExtension:
    return MaxTokensLimiter(max_token_count=settings.GRAPHQL_MAX_TOKENS)


EXTENSIONS: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
    token_limiter,
    DisableIntrospectionUnlessDebug,
    depth_limiter,
    alias_limiter,
    DjangoOptimizerExtension,
]
