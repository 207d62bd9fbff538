"""Errors users can cause come back as values: `errors { field code message }` in the payload.

Every mutation calls its service through `run_service`, the one place where a django
ValidationError becomes a list of `FieldError`s. Field names are those of the mutation's input, in
camelCase as the client sent them; an error that belongs to no input field has `field: null`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

import strawberry
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from strawberry.types.base import get_object_definition
from strawberry.utils.str_converters import to_camel_case

T = TypeVar("T")


@strawberry.type(description="Something about the input that has to change before this can work.")
class FieldError:
    field: str | None = strawberry.field(
        description="The input field (camelCase, as sent) the error is about; null if none."
    )
    code: str = strawberry.field(description="A stable, machine-readable error code.")
    message: str = strawberry.field(description="A human-readable message in the user's language.")


@strawberry.type
class Payload:
    """Base of every mutation payload: the changed object (own field) plus `errors`."""

    errors: list[FieldError] = strawberry.field(
        default_factory=list, description="Empty when the mutation succeeded."
    )


@dataclasses.dataclass
class Outcome(Generic[T]):
    value: T | None = None
    errors: list[FieldError] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _input_fields(input_type: type | None) -> set[str] | None:
    if input_type is None:
        return None
    definition = get_object_definition(input_type, strict=True)
    return {f.python_name for f in definition.fields}


def field_errors(
    exc: ValidationError,
    *,
    input_type: type | None = None,
    fields: Mapping[str, str] | None = None,
) -> list[FieldError]:
    """Turn a ValidationError into FieldErrors.

    `fields` renames the service's field names to the input's Python names (`{"parent":
    "parent_slug"}`); names that the input does not have become `field: null`.
    """
    known = _input_fields(input_type)
    renames = fields or {}
    errors = []
    if hasattr(exc, "error_dict"):
        items = exc.error_dict.items()
    else:
        items = [(NON_FIELD_ERRORS, exc.error_list)]
    for name, error_list in items:
        python_name = renames.get(name, name)
        if name == NON_FIELD_ERRORS or (known is not None and python_name not in known):
            graphql_name = None
        else:
            graphql_name = to_camel_case(python_name)
        for error in error_list:
            for message in error:  # a ValidationError iterates over its formatted messages
                errors.append(
                    FieldError(field=graphql_name, code=error.code or "invalid", message=message)
                )
    return errors


def run_service(
    call: Callable[[], T],
    *,
    input_type: type | None = None,
    fields: Mapping[str, str] | None = None,
) -> Outcome[T]:
    """Run a service call in one transaction; a ValidationError rolls back and becomes errors."""
    try:
        with transaction.atomic():
            return Outcome(value=call())
    except ValidationError as exc:
        return Outcome(errors=field_errors(exc, input_type=input_type, fields=fields))


def require_module(module: str) -> None:
    """For queries, which have no payload: a switched-off module is a GraphQL error with
    `extensions.code` `module_off` (mutations get the service's `module_off` in `errors`)."""
    from graphql import GraphQLError

    from portalwerk.tenants.modules import ModuleOff, is_on

    if not is_on(module):
        refusal = ModuleOff(module)
        raise GraphQLError(refusal.messages[0], extensions={"code": refusal.code})
