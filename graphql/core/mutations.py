"""The one mutation base of both schemas.

    @mutation(permission=IsProcessor, description="...")
    def change_submission_status(info, id: strawberry.ID, status: str) -> ChangeStatusPayload:
        submission = casework.change_status(actor=..., submission_id=ids.decode_int(id, ...))
        return ChangeStatusPayload(submission=...)

What the base does, in this order:
1. the permission, declared first: a refusal is the payload with one `permission_denied` error
   (not a top-level GraphQL error), and the resolver does not run;
2. the resolver, a thin call into one service, inside one transaction (a savepoint if the
   service opens its own), unless `atomic=False`;
3. a ValidationError (raised by the service or by `ids.decode`) becomes the payload's `errors`,
   typed by the area's error type (the payload's `errors` field says which).
The payload type is the resolver's return type; it must accept `errors=` alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import strawberry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from strawberry.extensions import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types.base import StrawberryList, StrawberryOptional, get_object_definition
from strawberry.types.field import StrawberryField

from portalwerk.graphql.core.errors import errors_from, make_error

log = logging.getLogger("portalwerk.graphql")


def log_refusal(info: strawberry.Info, errors: list) -> None:
    """One line per refused mutation, like the schema's other expected errors: the codes and
    where, never the messages (they may quote input)."""
    operation = getattr(info.operation, "name", None)
    log.info(
        "graphql refused: code=%s operation=%s path=%s",
        ",".join(sorted({error.code.value for error in errors})),
        operation.value if operation else "-",
        info.path.key,
    )


def payload_of(field: StrawberryField) -> type:
    payload = field.type
    definition = get_object_definition(payload)
    if definition is None:
        raise TypeError(f"mutation {field.python_name} must return a payload type")
    return payload


def error_type_of(payload: type) -> type:
    definition = get_object_definition(payload, strict=True)
    errors = next((f for f in definition.fields if f.python_name == "errors"), None)
    if errors is None or not isinstance(errors.type, StrawberryList):
        raise TypeError(f"{definition.name} has no `errors: list[...Error]` field")
    return errors.type.of_type


def _unwrap(type_: Any) -> Any:
    while isinstance(type_, StrawberryOptional | StrawberryList):
        type_ = type_.of_type
    return type_


def argument_names(field: StrawberryField) -> set[str]:
    """Python names of the arguments and of the fields of input-type arguments."""
    names = set()
    for argument in field.arguments:
        names.add(argument.python_name)
        definition = get_object_definition(_unwrap(argument.type))
        if definition is not None and definition.is_input:
            names.update(f.python_name for f in definition.fields)
    return names


class PayloadPermission(PermissionExtension):
    """strawberry's permission check, answering a refusal with the payload's error."""

    def apply(self, field: StrawberryField) -> None:
        super().apply(field)
        self.field = field

    def _on_unauthorized(self, permission: BasePermission) -> Any:
        payload = payload_of(self.field)
        error = make_error(
            error_type_of(payload),
            field=None,
            code="permission_denied",
            message=gettext("You are not allowed to do this."),
        )
        return payload(errors=[error])

    def resolve(self, next_: Callable[..., Any], source: Any, info: strawberry.Info, **kwargs):
        ran = []

        def resolver(*args: Any, **options: Any) -> Any:
            ran.append(True)
            return next_(*args, **options)

        result = super().resolve(resolver, source, info, **kwargs)
        if not ran:
            log_refusal(info, result.errors)
        return result


class ServiceErrors(FieldExtension):
    """Runs the resolver in a transaction; a ValidationError becomes the payload's errors."""

    def __init__(
        self, *, fields: Mapping[str, str] | None, answer_paths: bool, atomic: bool
    ) -> None:
        self.fields = fields
        self.answer_paths = answer_paths
        self.atomic = atomic

    def apply(self, field: StrawberryField) -> None:
        self.field = field

    def resolve(self, next_: Callable[..., Any], source: Any, info: strawberry.Info, **kwargs):
        try:
            if not self.atomic:
                return next_(source, info, **kwargs)
            with transaction.atomic():
                return next_(source, info, **kwargs)
        except ValidationError as exc:
            payload = payload_of(self.field)
            errors = errors_from(
                exc,
                error_type_of(payload),
                known=argument_names(self.field),
                fields=self.fields,
                answer_paths=self.answer_paths,
            )
            log_refusal(info, errors)
            return payload(errors=errors)


def mutation(
    *,
    permission: type[BasePermission],
    description: str | None = None,
    fields: Mapping[str, str] | None = None,
    answer_paths: bool = False,
    atomic: bool = True,
) -> Callable[[Callable[..., Any]], StrawberryField]:
    """Declare a mutation: its permission first, then the resolver (see the module docstring).

    `fields` renames service field names to argument names; `answer_paths` keeps field names
    that are no argument (paths of form answers); `atomic=False` when a write before the
    service (a rate-limit hit) must stay even if the service refuses.
    """

    def decorate(resolver: Callable[..., Any]) -> StrawberryField:
        return strawberry.mutation(
            resolver,
            description=description,
            extensions=[
                PayloadPermission([permission()]),
                ServiceErrors(fields=fields, answer_paths=answer_paths, atomic=atomic),
            ],
        )

    return decorate
