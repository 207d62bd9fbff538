"""The hand-over dead-letter tally (`DeadLetterTally`): written from a tenant's schema, read
for the whole installation in one query over public."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from portalwerk.platform.operations.models import DeadLetterTally


def record_dead_letters(failed: int) -> None:
    """The current tenant's count of deliveries that failed for good, as its hand-over counted
    them just now (a recount, never an increment: a lost update heals on the next count)."""
    schema = connection.schema_name
    if schema == "public":
        raise RuntimeError("record_dead_letters needs a tenant schema to be active")
    DeadLetterTally.objects.update_or_create(
        schema_name=schema, defaults={"failed": failed, "counted_at": timezone.now()}
    )


@dataclass(frozen=True)
class DeadLetters:
    total: int
    tenants: int
    #: the slugs with the most, largest first (at most three): where an operator looks first
    worst: list[tuple[str, int]]


# Only tenants that still exist count: an offboarded tenant's row is simply never joined.
DEAD_LETTERS_SQL = """
SELECT t.slug, d.failed
  FROM operations_deadlettertally d
  JOIN tenants_tenant t ON t.schema_name = d.schema_name
 WHERE d.failed > 0
 ORDER BY d.failed DESC, t.slug
"""


def dead_letters(cursor) -> DeadLetters:
    cursor.execute(
        f"SELECT count(*), coalesce(sum(failed), 0) FROM ({DEAD_LETTERS_SQL}) counted"  # noqa: S608
    )
    tenants, total = cursor.fetchone()
    cursor.execute(DEAD_LETTERS_SQL + " LIMIT 3")
    return DeadLetters(total=int(total), tenants=int(tenants), worst=list(cursor.fetchall()))
