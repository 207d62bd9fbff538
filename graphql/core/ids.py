"""The one global-ID codec of both schemas.

A global ID is Relay's: base64 of `<TypeName>:<local id>`, where the local id is
`<schema>:<key>`, the tenant schema the row lives in and its key there. Schemas are per tenant, so
a bare primary key means a different row on every tenant; the schema part lets `decode` refuse an
ID minted on another tenant instead of resolving it to whatever row has that key here.

`decode` gives one answer for everything it refuses (not base64, another type, another tenant, a
key of the wrong shape): `NotFound`, a ValidationError with code `not_found`, which the mutation
base turns into a payload error and queries into `null`. Clients treat IDs as opaque.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import strawberry
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext_lazy as _
from strawberry import relay

MAX_INT_DIGITS = 18  # fits a bigint; longer digit strings name nothing


class NotFound(ValidationError):
    def __init__(self, field: str | None = None):
        error = ValidationError(_("This was not found."), code="not_found")
        super().__init__({field: [error]} if field else [error])


def current_scope() -> str:
    """The schema of the request's tenant (`public` on the platform host)."""
    return connection.schema_name


def local_id(key: Any, *, scope: str | None = None) -> str:
    """The local part of a global ID; for relay.Node types whose NodeID holds it."""
    return f"{scope or current_scope()}:{key}"


def encode(type_name: str, key: Any, *, scope: str | None = None) -> strawberry.ID:
    return strawberry.ID(relay.to_base64(type_name, local_id(key, scope=scope)))


def decode_scoped(
    value: Any, type_name: str, *, scopes: Collection[str] | None = None, field: str | None = None
) -> tuple[str, str]:
    """(scope, key) of a global ID of `type_name` minted in one of `scopes` (default: this
    tenant's); NotFound for anything else."""
    try:
        found_type, rest = relay.from_base64(str(value))
    except Exception:  # noqa: BLE001 - whatever is not one of our IDs names nothing
        raise NotFound(field) from None
    scope, sep, key = rest.partition(":")
    allowed = scopes if scopes is not None else {current_scope()}
    if found_type != type_name or not sep or not key or scope not in allowed:
        raise NotFound(field)
    return scope, key


def decode(value: Any, type_name: str, *, field: str | None = None) -> str:
    return decode_scoped(value, type_name, field=field)[1]


def decode_int(value: Any, type_name: str, *, field: str | None = None) -> int:
    key = decode(value, type_name, field=field)
    if not key.isdigit() or len(key) > MAX_INT_DIGITS:
        raise NotFound(field)
    return int(key)


def decode_or_none(value: Any, type_name: str) -> str | None:
    """For queries, which answer `null` for what they do not find."""
    try:
        return decode(value, type_name)
    except NotFound:
        return None


class Node(relay.Node):
    """relay.Node whose `id` goes through this codec; for strawberry_django types (the root is a
    model instance, its key the primary key)."""

    @classmethod
    def resolve_id(cls, root: Any, *, info: strawberry.Info) -> str:
        return local_id(root.pk)
