"""Reading the audit log: by object (a submission's page), and the filtered, keyset-paged log of
the back-office page (each filter has an index ending in (at, id); no OFFSET, no COUNT)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from portalwerk.platform.audit.actions import ActorKind
from portalwerk.platform.audit.models import Entry

PAGE_SIZE = 50


def label_actors(entries: list[Entry]) -> list[Entry]:
    """Set `actor_label` on each entry: the user's current address from this schema's user table
    (one query), or the kind of actor when there is no user (system jobs, deleted users)."""
    User = get_user_model()
    ids = {e.actor_user_id for e in entries if e.actor_user_id is not None}
    emails = dict(User.objects.filter(pk__in=ids).values_list("pk", "email")) if ids else {}
    for e in entries:
        kind = ActorKind(e.actor_kind).label if e.actor_kind in ActorKind.values else e.actor_kind
        if e.actor_user_id in emails:
            e.actor_label = emails[e.actor_user_id]
        elif e.actor_user_id is not None:
            e.actor_label = f"{kind} #{e.actor_user_id}"
        else:
            e.actor_label = str(kind)
    return entries


def entries_for_object(object_type: str, object_id: str, *, limit: int = 50) -> list[Entry]:
    qs = Entry.objects.filter(object_type=object_type, object_id=object_id)
    return label_actors(list(qs.order_by("-at", "-id")[:limit]))


@dataclass(frozen=True)
class LogFilter:
    actor: str = ""  # a user id, or an actor kind without a user ("system")
    object_type: str = ""
    object_id: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def queryset(self):
        qs = Entry.objects.all()
        if self.actor.isdigit():
            qs = qs.filter(actor_user_id=int(self.actor))
        elif self.actor in ActorKind.values:
            qs = qs.filter(actor_kind=self.actor, actor_user_id__isnull=True)
        if self.object_type:
            qs = qs.filter(object_type=self.object_type)
        if self.object_id:
            qs = qs.filter(object_id=self.object_id.strip())
        if self.action:
            qs = qs.filter(action=self.action)
        if self.date_from:
            qs = qs.filter(at__gte=_midnight(self.date_from))
        if self.date_to and self.date_to < dt.date.max:  # the last day there is: no bound
            qs = qs.filter(at__lt=_midnight(self.date_to + dt.timedelta(days=1)))
        return qs.order_by("-at", "-id")


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


@dataclass
class LogPage:
    entries: list[Entry] = field(default_factory=list)
    next_cursor: str = ""


def cursor_of(entry: Entry) -> str:
    return f"{entry.at.isoformat()}_{entry.pk}"


def _parse_cursor(cursor: str) -> tuple[dt.datetime, int] | None:
    at_text, _sep, pk = (cursor or "").rpartition("_")
    at = parse_datetime(at_text) if at_text else None
    if at is None or not pk.isdigit():
        return None
    return at, int(pk)


def log_page(log_filter: LogFilter, *, after: str = "", size: int = PAGE_SIZE) -> LogPage:
    """Entries newest first; `after` is the cursor of the last entry of the previous page."""
    qs = log_filter.queryset()
    position = _parse_cursor(after)
    if position:
        at, pk = position
        qs = qs.filter(Q(at__lt=at) | Q(at=at, id__lt=pk))
    rows = list(qs[: size + 1])
    page = LogPage(entries=label_actors(rows[:size]))
    if len(rows) > size:
        page.next_cursor = cursor_of(rows[size - 1])
    return page
