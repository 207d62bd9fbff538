"""The one Relay connection type of both schemas, whose page arguments are checked before use.

strawberry's connection raises a bare ValueError / TypeError for a negative or too large `first`
or `last` and for a cursor that is not one of theirs; the error masker would turn that into
"Unexpected error.". These connection types refuse such arguments with a readable GraphQL error in
the caller's language instead (DESIGN.md, "Errors users can cause are values").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry
from django.utils.translation import gettext
from graphql import GraphQLError
from strawberry import relay
from strawberry.relay.types import PREFIX
from strawberry_django.relay import DjangoListConnection as _DjangoListConnection

Row = TypeVar("Row")
Node = TypeVar("Node")


class LazyNodes(Sequence, Generic[Row, Node]):
    """Rows that become GraphQL nodes only when the connection slices its page out of them:
    `services(first: 1)` over a catalogue of hundreds builds one node, not hundreds (the attack
    run's many aliases of small pages each paid for the whole list). `len` is the total."""

    def __init__(self, rows: Sequence[Row], convert: Callable[[Row], Node]) -> None:
        self.rows = rows
        self.convert = convert

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.convert(row) for row in self.rows[index]]
        return self.convert(self.rows[index])


def _sized_list(nodes: Any) -> bool:
    """A sequence that is not a queryset (strawberry_django pages those itself)."""
    from django.db.models import QuerySet

    return isinstance(nodes, Sequence) and not isinstance(nodes, QuerySet)


def _is_cursor(value: str) -> bool:
    try:
        prefix, position = relay.from_base64(value)
    except ValueError:
        return False
    return prefix == PREFIX and position.isdigit()


def check_page_arguments(
    info: strawberry.Info,
    *,
    before: str | None,
    after: str | None,
    first: int | None,
    last: int | None,
    max_results: int | None,
) -> None:
    limit = max_results if max_results is not None else info.schema.config.relay_max_results
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= limit:
            raise GraphQLError(
                gettext("%(argument)s must be a number from 0 to %(max)s.")
                % {"argument": name, "max": limit}
            )
    for name, value in (("after", after), ("before", before)):
        if value and not _is_cursor(value):
            raise GraphQLError(
                gettext("%(argument)s is not a cursor of this list.") % {"argument": name}
            )


@strawberry.type(name="Connection", description="A connection to a list of items.")
class Connection(_DjangoListConnection[relay.NodeType]):
    """The one connection type of both schemas: strawberry_django's DjangoListConnection
    (cursor pages with `first/after` and `last/before`, `pageInfo`, and `totalCount`, which
    is a COUNT for a queryset and `len` for a list) with checked page arguments."""

    @classmethod
    def resolve_connection(
        cls,
        nodes: Any,
        *,
        info: strawberry.Info,
        before: str | None = None,
        after: str | None = None,
        first: int | None = None,
        last: int | None = None,
        max_results: int | None = None,
        **kwargs: Any,
    ):
        check_page_arguments(
            info, before=before, after=after, first=first, last=last, max_results=max_results
        )
        if last is not None and before is None and after is None and _sized_list(nodes):
            # strawberry reads the whole list for `last` alone; the same page ends at the total
            before = relay.to_base64(PREFIX, len(nodes))
        return super().resolve_connection(
            nodes,
            info=info,
            before=before,
            after=after,
            first=first,
            last=last,
            max_results=max_results,
            **kwargs,
        )
