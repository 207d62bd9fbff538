"""Schema extensions every Portalwerk schema runs with.

They are passed to strawberry as factories, which it calls once per request, so the limits and the
introspection switch follow the settings at request time (and `override_settings` in tests).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils.translation import gettext
from graphql import GraphQLError, validate
from strawberry.exceptions import StrawberryGraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule
from strawberry_django.optimizer import DjangoOptimizerExtension

from portalwerk.graphql.core.limits import (
    CostLimiter,
    InputBounds,
    OperationNameRequired,
    expansion_refusal,
)
from portalwerk.platform.security.pages import OUTAGE_ERRORS, OUTAGE_MESSAGE, SERVICE_UNAVAILABLE


class DisableIntrospectionUnlessDebug(DisableIntrospection):
    """`__schema` and `__type` are refused unless settings.DEBUG is on (GraphiQL needs them)."""

    def on_operation(self) -> Iterator[None]:
        if settings.DEBUG:
            yield
        else:
            yield from super().on_operation()


class ValidateWithoutSuggestions(SchemaExtension):
    """Runs strawberry's validation itself, to pass graphql-core's `hide_suggestions` while
    introspection is off: "Did you mean …" would hand out the schema piece by piece."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.pre_execution_errors is None and context.graphql_document is not None:
            too_large = expansion_refusal(context.graphql_document)
            if too_large is not None:
                context.pre_execution_errors = [too_large]
                yield
                return
            context.pre_execution_errors = validate(
                context.schema._schema,
                context.graphql_document,
                (*context.validation_rules, MaybeNullValidationRule, OneOfInputValidationRule),
                hide_suggestions=not settings.DEBUG,
            )
        yield


def depth_limiter() -> SchemaExtension:
    return QueryDepthLimiter(max_depth=settings.GRAPHQL_MAX_DEPTH)


def alias_limiter() -> SchemaExtension:
    # strawberry >= 0.315.7 counts aliases inside fragments too (CVE-2026-47707).
    return MaxAliasesLimiter(max_alias_count=settings.GRAPHQL_MAX_ALIASES)


def token_limiter() -> SchemaExtension:
    return MaxTokensLimiter(max_token_count=settings.GRAPHQL_MAX_TOKENS)


def original(error: GraphQLError) -> BaseException | None:
    return error.original_error


def is_service_error(error: GraphQLError) -> bool:
    """A ValidationError a service raised inside a query resolver (mutations turn theirs into
    payload errors): an answer for the user, such as a rate limit."""
    return isinstance(original(error), ValidationError)


def is_outage(error: GraphQLError) -> bool:
    return isinstance(original(error), OUTAGE_ERRORS)


def is_unexpected(error: GraphQLError) -> bool:
    """A crash inside a resolver. Query, variable and permission errors stay readable: they
    have no path (not raised while executing) or are GraphQL errors raised on purpose."""
    if error.path is None:
        return False
    cause = original(error)
    return cause is not None and not isinstance(
        cause, GraphQLError | StrawberryGraphQLError | ValidationError
    )


def code_of(error: GraphQLError) -> str:
    """The stable code of an error, for the client (`extensions.code`) and the log."""
    cause = original(error)
    if isinstance(cause, ValidationError):
        first = _first(cause)
        return str(first.code or "invalid")
    code = (error.extensions or {}).get("code")
    if code:
        return str(code)
    if isinstance(cause, DatabaseError):
        return "database_error"
    if cause is not None and not isinstance(cause, GraphQLError | StrawberryGraphQLError):
        return "unexpected"
    return "graphql_validation" if error.path is None else "graphql_error"


def _first(exc: ValidationError) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return next(e for errors in exc.error_dict.values() for e in errors)
    return exc.error_list[0]


class ErrorsForClients(MaskErrors):
    """What a client sees of an error: a service's ValidationError becomes its message and
    code, a database outage a translated "try again", another crash "Unexpected error." (its
    message may carry internals or personal data); DEBUG shows crashes as they are."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=self._should_replace, error_message="Unexpected error.")

    @staticmethod
    def _should_replace(error: GraphQLError) -> bool:
        if is_service_error(error) or is_outage(error) or limit_refusal(error):
            return True
        return not settings.DEBUG and is_unexpected(error)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        if is_service_error(error):
            message = list(_first(original(error)))[0]
            code = code_of(error)
        elif is_outage(error):
            message = gettext(OUTAGE_MESSAGE)
            code = SERVICE_UNAVAILABLE
        elif refusal := limit_refusal(error):
            code, message = refusal
        else:
            return super().anonymise_error(error)
        return GraphQLError(
            message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": code},
        )


#: strawberry's and graphql-core's own limit refusals (English, without a code), as patterns
LIMIT_REFUSALS = (
    (re.compile(r"exceeds maximum operation depth of (?P<n>\d+)$"), "query_too_deep"),
    (re.compile(r"^\d+ aliases found\. Allowed: (?P<n>\d+)$"), "too_many_aliases"),
    (re.compile(r"Document contains more than (?P<n>\d+) tokens"), "too_many_tokens"),
)


def limit_refusal(error: GraphQLError) -> tuple[str, str] | None:
    """Code and message in the user's language for a depth, alias or token limit refusal."""
    if error.path is not None or (error.extensions or {}).get("code"):
        return None
    for pattern, code in LIMIT_REFUSALS:
        found = pattern.search(error.message)
        if found:
            n = int(found["n"])
            messages = {
                "query_too_deep": gettext(
                    "The query is nested too deeply: at most %(n)s levels are allowed."
                ),
                "too_many_aliases": gettext(
                    "The query uses too many aliases: at most %(n)s are allowed."
                ),
                "too_many_tokens": gettext(
                    "The query is too long: at most %(n)s tokens are allowed."
                ),
            }
            return code, messages[code] % {"n": n}
    return None


def error_masker() -> SchemaExtension:
    return ErrorsForClients()


EXTENSIONS: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
    token_limiter,
    DisableIntrospectionUnlessDebug,
    depth_limiter,
    alias_limiter,
    OperationNameRequired,
    InputBounds,
    CostLimiter,
    ValidateWithoutSuggestions,
    DjangoOptimizerExtension,
    error_masker,
]
