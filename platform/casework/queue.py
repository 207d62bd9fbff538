"""The inbox as a work queue: the filtered, sorted list of submissions, cut into pages by keyset
(cursor) paging over an index, so that page 2,000 costs what page 1 costs and no page counts the
whole table.

Every sort key is a tuple of columns that ends in a unique one, and a page is "the next N rows
after the last row's key" as one row comparison, `(key, id) < (%s, %s)`, which PostgreSQL
answers from a B-tree index on the same columns (migration casework 0004). Sort by deadline
puts submissions without one last (a stored far-future date stands in for none, in the index
too); sort by status follows the order of work (received, in progress, waiting, completed,
rejected).

How many rows match is counted only up to `COUNT_CAP`: beyond it the page says "more than".
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    DateTimeField,
    Exists,
    Expression,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from portalwerk.platform.accounts.models import User
from portalwerk.platform.authz.actors import Actor, check
from portalwerk.platform.authz.capabilities import Capability, roles_with
from portalwerk.platform.forms.models import Submission, SubmissionStatus

PER_PAGE = 50
COUNT_CAP = 1000
SOON_DAYS = 3
OPEN_STATUSES = (SubmissionStatus.RECEIVED, SubmissionStatus.IN_PROGRESS, SubmissionStatus.WAITING)
# a payment that was made (also one refunded later); the same condition as payments' partial
# unique index `one_settled_payment_per_submission`, which answers it
SETTLED = Q(payments__status="paid") | Q(payments__status="partially_refunded")
SETTLED |= Q(payments__status="refunded")

# Written exactly as in the index expressions of migration 0004 (PostgreSQL matches an
# expression index only when the query's expression is the same).
DUE_KEY_SQL = 'COALESCE("forms_submission"."due_at", \'9999-12-31 00:00:00+00\'::timestamptz)'
STATUS_RANK_SQL = (
    'CASE "forms_submission"."status" '
    "WHEN 'received' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'waiting' THEN 2 "
    "WHEN 'completed' THEN 3 WHEN 'rejected' THEN 4 ELSE 5 END"
)


def _due_key() -> Expression:
    return RawSQL(DUE_KEY_SQL, (), output_field=DateTimeField())


def _status_rank() -> Expression:
    return RawSQL(STATUS_RANK_SQL, (), output_field=IntegerField())


# sort key → the columns of its keyset, as (annotation name, expression); all end in a unique one
SORTS: dict[str, list[tuple[str, object]]] = {
    "submitted": [("submitted_at", None), ("id", None)],
    "due": [("queue_due_key", _due_key), ("id", None)],
    "reference": [("reference", None)],
    "applicant": [("applicant_name", None), ("id", None)],
    "status": [("queue_status_rank", _status_rank), ("submitted_at", None), ("id", None)],
}


def clerks() -> QuerySet[User]:
    """The people a submission can be assigned to: those who may open the inbox."""
    roles = roles_with(Capability.USE_BACKOFFICE)
    return User.objects.filter(is_active=True, role__in=roles).order_by("email")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filtered(actor: Actor, filters: dict, *, now: datetime.datetime | None = None) -> QuerySet:
    """The submissions of the queue that match `filters` (cleaned `QueueFilters` values)."""
    from portalwerk.platform.casework.models import Message

    now = now or timezone.now()
    qs = Submission.objects.filter(anonymised_at__isnull=True)
    # A submission whose fee must be paid first reaches the office once it is paid (billing);
    # unless billing flagged that nobody can pay it online any more: then the clerks see it.
    qs = qs.exclude(hand_over__held=True, hand_over__blocked_since__isnull=True)
    if filters.get("form"):
        qs = qs.filter(form=filters["form"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    assigned = filters.get("assigned") or ""
    if assigned == "me":
        qs = qs.filter(assigned_to=check(actor).user)
    elif assigned == "none":
        qs = qs.filter(assigned_to__isnull=True)
    elif assigned.isdigit():
        qs = qs.filter(assigned_to_id=int(assigned))
    if filters.get("from"):
        qs = qs.filter(submitted_at__gte=_day_start(filters["from"]))
    if filters.get("to"):
        qs = qs.filter(submitted_at__lt=_day_start(filters["to"] + datetime.timedelta(days=1)))
    deadline = filters.get("deadline")
    if deadline == "overdue":
        qs = qs.filter(status__in=OPEN_STATUSES, due_at__lt=now)
    elif deadline == "soon":
        soon = now + datetime.timedelta(days=SOON_DAYS)
        qs = qs.filter(status__in=OPEN_STATUSES, due_at__gte=now, due_at__lt=soon)
    elif deadline == "none":
        qs = qs.filter(due_at__isnull=True)
    payment = filters.get("payment")
    # both read the submissions with a fee from their partial index (migration 0004)
    if payment == "paid":
        qs = qs.filter(SETTLED, fee_cents__gt=0)
    elif payment == "unpaid":
        qs = qs.filter(fee_cents__gt=0).exclude(SETTLED)
    elif payment == "blocked":
        qs = qs.filter(hand_over__held=True, hand_over__blocked_since__isnull=False)
    if filters.get("unread"):
        unread = Message.objects.filter(
            submission=OuterRef("pk"), from_office=False, read_at__isnull=True
        )
        qs = qs.filter(Exists(unread))
    q = filters.get("q") or ""
    if q:
        # trigram GIN index on both columns (migration 0004): a substring, case-insensitive
        qs = qs.filter(Q(reference__icontains=q) | Q(applicant_name__icontains=q))
    return qs


class RowCompare(Expression):
    """`(a, b, …) < (x, y, …)` (or `>`): the one comparison a B-tree index on (a, b, …) starts
    a scan at, where `a < x OR (a = x AND b < y)` would make it read from the top."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, columns: list, values: list, operator: str):
        super().__init__()
        self.columns, self.values, self.operator = columns, values, operator

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def as_sql(self, compiler, connection):
        parts, params = [], []
        for column in self.columns:
            sql, column_params = compiler.compile(column)
            parts.append(sql)
            params.extend(column_params)
        placeholders = ", ".join(["%s"] * len(self.values))
        return f"({', '.join(parts)}) {self.operator} ({placeholders})", [*params, *self.values]


class BadCursor(ValueError):
    """A page link that does not fit the sort (edited by hand, or from another sort)."""


def encode_cursor(sort: str, values: list, page: int) -> str:
    data = [sort, page, *[v.isoformat() if isinstance(v, datetime.datetime) else v for v in values]]
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode()


def decode_cursor(sort: str, token: str) -> tuple[list, int]:
    """(key values, page number) of a cursor made for `sort`; BadCursor otherwise."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, binascii.Error, UnicodeError):
        raise BadCursor(token) from None
    columns = SORTS[sort.lstrip("-")]
    if not (isinstance(data, list) and len(data) == len(columns) + 2 and data[0] == sort):
        raise BadCursor(token)
    page = data[1]
    if not isinstance(page, int) or not 1 <= page < 10**7:
        raise BadCursor(token)
    values = []
    for (name, _expr), value in zip(columns, data[2:], strict=True):
        values.append(_typed(name, value))
    return values, page


def _typed(name: str, value):
    if name in ("submitted_at", "queue_due_key"):
        if not isinstance(value, str):
            raise BadCursor(name)
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise BadCursor(name) from None
        if moment.tzinfo is None:
            raise BadCursor(name)
        return moment
    if name in ("id", "queue_status_rank"):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**63:
            raise BadCursor(name)
        return value
    if not isinstance(value, str) or len(value) > 300:
        raise BadCursor(name)
    return value


@dataclass
class QueuePage:
    rows: list[Submission]
    sort: str
    number: int = 1
    count: int = 0  # up to COUNT_CAP
    more_than_cap: bool = False
    next_cursor: str = ""
    previous_cursor: str = ""
    first_page: bool = True


def _with_keys(qs: QuerySet, sort: str) -> tuple[QuerySet, list[tuple[str, object]]]:
    columns = SORTS[sort.lstrip("-")]
    annotations = {name: make() for name, make in columns if make is not None}
    return qs.annotate(**annotations), columns


def page_of(
    qs: QuerySet,
    *,
    sort: str,
    after: str = "",
    before: str = "",
    per_page: int = PER_PAGE,
) -> QueuePage:
    """One page of `qs` in the order `sort`, after (or before) a cursor; BadCursor on a cursor
    that does not fit."""
    from portalwerk.platform.casework.models import Message

    descending = sort.startswith("-")
    count = qs.values("pk")[: COUNT_CAP + 1].count()
    keyed, columns = _with_keys(qs, sort)
    names = [name for name, _make in columns]
    backwards = bool(before) and not after
    token = after or before
    number = 1
    if token:
        values, number = decode_cursor(sort, token)
        # going forwards in a descending order: smaller keys; backwards flips both
        smaller = descending != backwards
        keyed = keyed.filter(RowCompare([F(n) for n in names], values, "<" if smaller else ">"))
        number = number + 1 if not backwards else max(number - 1, 1)
    reverse = descending != backwards
    keyed = keyed.order_by(*[f"-{n}" if reverse else n for n in names])
    unread = Message.objects.filter(
        submission=OuterRef("pk"), from_office=False, read_at__isnull=True
    )
    keyed = keyed.select_related("form", "assigned_to").annotate(
        has_unread_reply=Exists(unread), payment_blocked_since=F("hand_over__blocked_since")
    )
    rows = list(keyed[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    page = QueuePage(
        rows=rows,
        sort=sort,
        number=number,
        count=min(count, COUNT_CAP),
        more_than_cap=count > COUNT_CAP,
    )
    has_next = more if not backwards else True
    has_previous = (bool(after) or more) if (after or backwards) else False
    if backwards and not more:
        has_previous, number = False, 1
        page.number = 1
    page.first_page = not has_previous
    if rows and has_next:
        page.next_cursor = encode_cursor(sort, _key(rows[-1], names), page.number)
    if rows and has_previous:
        page.previous_cursor = encode_cursor(sort, _key(rows[0], names), page.number)
    return page


def _key(row: Submission, names: list[str]) -> list:
    return [getattr(row, name) for name in names]


def is_overdue(submission: Submission, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return bool(
        submission.due_at and submission.due_at < now and submission.status in OPEN_STATUSES
    )


def list_queue(
    *, actor: Actor, filters: dict, after: str = "", before: str = "", per_page: int = PER_PAGE
) -> QueuePage:
    """One page of the queue for a clerk; seeing it (applicants' names) is audited."""
    from django.db import transaction

    from portalwerk.platform.authz import capabilities
    from portalwerk.platform.casework.services import record_inbox_listing

    if not capabilities.can_read_submissions(actor):
        return QueuePage(rows=[], sort=filters.get("sort") or "-submitted")
    sort = filters.get("sort") or "-submitted"
    with transaction.atomic():
        page = page_of(
            filtered(actor, filters), sort=sort, after=after, before=before, per_page=per_page
        )
        record_inbox_listing(
            actor=actor,
            rows=len(page.rows),
            page=page.number,
            filters={k: v for k, v in filters.items() if k != "sort"},
        )
    return page
