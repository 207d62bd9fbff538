"""Schema extensions every Portalwerk schema runs with.

They are passed to strawberry as factories, which it calls once per request, so the limits and the
introspection switch follow the settings at request time (and `override_settings` in tests).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.conf import settings
from graphql import GraphQLError
from strawberry.exceptions import StrawberryGraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
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


def _is_unexpected(error: GraphQLError) -> bool:
    """A crash inside a resolver. Query, variable and permission errors stay readable: they
    have no path (not raised while executing) or are GraphQL errors raised on purpose."""
    if settings.DEBUG or error.path is None:
        return False
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError | StrawberryGraphQLError)


def error_masker() -> SchemaExtension:
    # An unexpected exception's message may carry internals (SQL, paths) or personal data.
    return MaskErrors(should_mask_error=_is_unexpected, error_message="Unexpected error.")


EXTENSIONS: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
    token_limiter,
    DisableIntrospectionUnlessDebug,
    depth_limiter,
    alias_limiter,
    DjangoOptimizerExtension,
    error_masker,
]
