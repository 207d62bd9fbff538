"""Queries of the casework API: the clerk's inbox and the (audited) detail."""

from __future__ import annotations

from typing import Any

import strawberry
import strawberry_django
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from strawberry import relay

from portalwerk.graphql.casework.types import ClerkSubmission, opened
from portalwerk.graphql.core import ids
from portalwerk.graphql.core.pagination import Connection
from portalwerk.graphql.forms.permissions import IsClerk, request_of
from portalwerk.platform.casework import queries as inbox_queries
from portalwerk.platform.casework import services as casework
from portalwerk.platform.forms.models import Submission

MAX_PAGE = 100
FILTERS = {"status": "status", "formSlug": "form", "search": "q", "assignedToMe": "me"}


@strawberry.type(name="ClerkSubmissionConnection", description="A connection to a list of items.")
class InboxConnection(Connection[ClerkSubmission]):
    """The inbox's page shows applicants' names: once the page is cut, its listing is recorded
    (rows, page, which filters were set), as the HTML inbox records its pages."""

    @classmethod
    def resolve_connection(cls, nodes: Any, *, info: strawberry.Info, **kwargs: Any):
        connection = super().resolve_connection(nodes, info=info, **kwargs)
        arguments = info.selected_fields[0].arguments
        size = kwargs.get("first") or kwargs.get("last") or MAX_PAGE
        start = int(relay.from_base64(connection.edges[0].cursor)[1]) if connection.edges else 0
        casework.record_inbox_listing(
            actor=request_of(info).actor,
            rows=len(connection.edges),
            page=start // size + 1,
            filters={name: arguments.get(argument) for argument, name in FILTERS.items()},
        )
        return connection


@strawberry.type
class CaseworkQuery:
    @strawberry_django.connection(
        InboxConnection, permission_classes=[IsClerk], max_results=MAX_PAGE
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
