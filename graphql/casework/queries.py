"""Queries of the casework API: the clerk's inbox and the (audited) detail."""

from __future__ import annotations

import strawberry
import strawberry_django
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from portalwerk.graphql.casework.types import ClerkSubmission, opened
from portalwerk.graphql.core import ids
from portalwerk.graphql.core.pagination import Connection
from portalwerk.graphql.forms.permissions import IsClerk, request_of
from portalwerk.platform.casework import queries as inbox_queries
from portalwerk.platform.casework import services as casework
from portalwerk.platform.forms.models import Submission

MAX_PAGE = 100


@strawberry.type
class CaseworkQuery:
    @strawberry_django.connection(
        Connection[ClerkSubmission], permission_classes=[IsClerk], max_results=MAX_PAGE
    )
    def inbox(
        self,
        info: strawberry.Info,
        status: str = "",
        form_slug: str = "",
        search: str = "",
        assigned_to_me: bool = False,
    ) -> QuerySet[Submission]:
        qs = inbox_queries.inbox(
            status=status,
            search=search,
            assigned="me" if assigned_to_me else "",
            actor=request_of(info).actor,
        )
        if form_slug:
            qs = qs.filter(form__slug=form_slug)
        return qs.select_related("version")

    @strawberry.field(
        permission_classes=[IsClerk],
        description="Opens the personal data: written to the audit log.",
    )
    def inbox_submission(self, info: strawberry.Info, id: strawberry.ID) -> ClerkSubmission | None:
        try:
            submission = casework.open_submission(
                actor=request_of(info).actor,
                submission_id=ids.decode_int(id, "ClerkSubmission"),
            )
        except ValidationError:
            return None
        return opened(submission)
