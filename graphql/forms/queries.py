"""Queries of the forms API: the published form, drafts and my submissions for citizens, the
inbox for clerks."""

from __future__ import annotations

import strawberry
from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from portalwerk.graphql.forms.permissions import (
    AllowAnonymous,
    IsClerk,
    IsSignedIn,
    request_of,
)
from portalwerk.graphql.forms.types import (
    ClerkSubmissionConnection,
    ClerkSubmissionEdge,
    ClerkSubmissionType,
    DraftType,
    FormType,
    InboxPageInfo,
    SubmissionType,
    global_id,
    parse_global_id,
)
from portalwerk.platform.casework import queries as inbox_queries
from portalwerk.platform.casework import services as casework
from portalwerk.platform.casework.models import Message
from portalwerk.platform.forms import access
from portalwerk.platform.forms.models import Submission

MAX_PAGE = 100


@strawberry.type
class FormsQuery:
    @strawberry.field(permission_classes=[AllowAnonymous], description="Open to anyone.")
    def form(self, info: strawberry.Info, slug: str) -> FormType | None:
        try:
            form = access.get_published_form(slug)
        except ValidationError:
            return None
        return FormType.of(form, form.published_version)

    @strawberry.field(permission_classes=[AllowAnonymous], description="The caller's own draft.")
    def draft(self, info: strawberry.Info, id: strawberry.ID) -> DraftType | None:
        request = request_of(info)
        try:
            draft = access.get_draft_for(
                request.user, id, access.owned(request.session, access.DRAFTS_KEY)
            )
        except ValidationError:
            return None
        return DraftType.of(draft)

    @strawberry.field(permission_classes=[IsSignedIn])
    def my_submissions(self, info: strawberry.Info) -> list[SubmissionType]:
        user = request_of(info).user
        rows = (
            Submission.objects.filter(user=user, anonymised_at__isnull=True)
            .select_related("form")
            .prefetch_related(
                Prefetch("messages", queryset=Message.objects.prefetch_related("attachments"))
            )
            .order_by("-submitted_at")
        )
        return [SubmissionType.of(s) for s in rows]

    @strawberry.field(permission_classes=[IsClerk])
    def inbox(
        self,
        info: strawberry.Info,
        first: int = 50,
        after: str | None = None,
        status: str = "",
        form_slug: str = "",
        search: str = "",
        assigned_to_me: bool = False,
    ) -> ClerkSubmissionConnection:
        request = request_of(info)
        qs = inbox_queries.inbox(
            status=status,
            search=search,
            assigned="me" if assigned_to_me else "",
            actor=request.user,
        )
        if form_slug:
            qs = qs.filter(form__slug=form_slug)
        qs = qs.select_related("version")
        total = qs.count()
        first = max(1, min(first, MAX_PAGE))
        offset = 0
        if after:
            position = parse_global_id("Cursor", after)
            offset = int(position) + 1 if position and position.isdigit() else 0
        rows = list(qs[offset : offset + first + 1])
        has_next = len(rows) > first
        rows = rows[:first]
        casework.record_inbox_listing(
            actor=request.user,
            rows=len(rows),
            page=offset // first + 1,
            filters={"status": status, "form": form_slug, "q": search, "me": assigned_to_me},
        )
        edges = [
            ClerkSubmissionEdge(
                cursor=global_id("Cursor", offset + i), node=ClerkSubmissionType.of(s)
            )
            for i, s in enumerate(rows)
        ]
        return ClerkSubmissionConnection(
            edges=edges,
            page_info=InboxPageInfo(
                has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None
            ),
            total_count=total,
        )

    @strawberry.field(
        permission_classes=[IsClerk],
        description="Opens the personal data: written to the audit log.",
    )
    def inbox_submission(
        self, info: strawberry.Info, id: strawberry.ID
    ) -> ClerkSubmissionType | None:
        pk = parse_global_id("Submission", id)
        try:
            submission = casework.open_submission(
                actor=request_of(info).user, submission_id=pk or ""
            )
        except ValidationError:
            return None
        return ClerkSubmissionType.of(submission, with_answers=True)
