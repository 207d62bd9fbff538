"""Queries of the forms API: the published form, drafts and my submissions for citizens."""

from __future__ import annotations

import strawberry
from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from portalwerk.graphql.core import ids
from portalwerk.graphql.core.errors import require_module
from portalwerk.graphql.forms.permissions import AllowAnonymous, IsSignedIn, request_of
from portalwerk.graphql.forms.types import DraftType, FormType, SubmissionType
from portalwerk.platform.casework.models import Message
from portalwerk.platform.forms import access
from portalwerk.platform.forms.models import Submission
from portalwerk.platform.handover.models import Report
from portalwerk.tenants.models import Module


@strawberry.type
class FormsQuery:
    @strawberry.field(permission_classes=[AllowAnonymous], description="Open to anyone.")
    def form(self, info: strawberry.Info, slug: str) -> FormType | None:
        require_module(Module.FORMS)
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
                request.actor,
                ids.decode(id, "Draft"),
                access.owned(request.session, access.DRAFTS_KEY),
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
                Prefetch("messages", queryset=Message.objects.prefetch_related("attachments")),
                Prefetch("handover_reports", queryset=Report.objects.defer("document")),
            )
            .order_by("-submitted_at")
        )
        return [SubmissionType.of(s) for s in rows]
