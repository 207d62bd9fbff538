"""List reads of the clerk inbox, already joined for their callers (constant query count)."""

from __future__ import annotations

import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from portalwerk.platform.authz.actors import Actor, check
from portalwerk.platform.forms.models import Submission


def inbox(
    *,
    form_id: str = "",
    status: str = "",
    assigned: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    search: str = "",
    payment: str = "",
    unread_only: bool = False,
    actor: Actor | None = None,
) -> QuerySet[Submission]:
    from portalwerk.platform.casework.models import Message

    qs = Submission.objects.filter(anonymised_at__isnull=True).select_related("form", "assigned_to")
    # A citizen's reply that no one in the office has opened yet: the row is marked.
    unread = Message.objects.filter(
        submission=OuterRef("pk"), from_office=False, read_at__isnull=True
    )
    qs = qs.annotate(has_unread_reply=Exists(unread))
    # A submission whose fee must be paid first reaches the office once it is paid (billing);
    # unless billing flagged that nobody can pay it online any more: then the clerks see it.
    qs = qs.exclude(hand_over__held=True, hand_over__blocked_since__isnull=True)
    qs = qs.annotate(payment_blocked_since=F("hand_over__blocked_since"))
    if payment == "blocked":
        qs = qs.filter(hand_over__held=True, hand_over__blocked_since__isnull=False)
    if form_id.isdigit():
        qs = qs.filter(form_id=int(form_id))
    if status:
        qs = qs.filter(status=status)
    if unread_only:
        qs = qs.filter(has_unread_reply=True)
    if assigned == "me" and actor is not None and check(actor).user is not None:
        qs = qs.filter(assigned_to=actor.user)
    elif assigned == "none":
        qs = qs.filter(assigned_to__isnull=True)
    elif assigned.isdigit():
        qs = qs.filter(assigned_to_id=int(assigned))
    if date_from:
        qs = qs.filter(submitted_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(submitted_at__date__lte=date_to)
    search = search.strip()[:100]
    if search:
        qs = qs.filter(
            Q(reference__icontains=search)
            | Q(applicant_name__icontains=search)
            | Q(email__icontains=search)
        )
    return qs.order_by("-submitted_at", "-id")
