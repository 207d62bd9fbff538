from __future__ import annotations

import logging
from typing import Any

import strawberry
from django.conf import settings
from graphql import GraphQLError
from strawberry.types import ExecutionContext
from strawberry.utils.logging import StrawberryLogger

from portalwerk.graphql.core.extensions import EXTENSIONS, code_of, is_outage, is_unexpected

log = logging.getLogger("portalwerk.graphql")


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """A crash (or a database outage) is logged with its traceback, for Sentry too; an
        error the client caused (validation, permission, a limit, a service's refusal) is one
        line with its code and where it happened, never its message, which may quote input."""
        operation = getattr(execution_context, "operation_name", None) or "-"
        for error in errors:
            if is_unexpected(error) or is_outage(error):
                StrawberryLogger.error(error, execution_context)
                continue
            path = ".".join(str(part) for part in error.path) if error.path else "-"
            log.info(
                "graphql refused: code=%s operation=%s path=%s", code_of(error), operation, path
            )

    def _get_custom_context_kwargs(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        # Variable coercion ("Field 'x' is not defined by type … Did you mean …") is part of
        # execution: hide its suggestions too while introspection is off.
        options = super()._get_custom_context_kwargs(*args, **kwargs)
        options["hide_suggestions"] = not settings.DEBUG
        return options


def build_schema(query: type, mutation: type | None = None) -> strawberry.Schema:
    """A schema with Portalwerk's limits, introspection switch and query optimizer."""
    return Schema(query=query, mutation=mutation, extensions=EXTENSIONS)
