"""Types of the casework API (tenant schema): submissions as the office sees them."""

from __future__ import annotations

from datetime import datetime

import strawberry
import strawberry_django
from django.db.models import Prefetch
from strawberry.scalars import JSON

from portalwerk.graphql.casework.errors import CaseworkError
from portalwerk.graphql.core import ids
from portalwerk.graphql.handover.types import ClerkDelivery
from portalwerk.platform.authz.actors import actor_for
from portalwerk.platform.authz.capabilities import can_view_deliveries
from portalwerk.platform.forms.identity import level_words
from portalwerk.platform.forms.models import Submission
from portalwerk.platform.handover.models import Delivery

OPENED = "_opened_by_clerk"  # set on a submission read through the audited detail


@strawberry.type(description="How a submission was made: the applicant's sign-in.")
class SubmissionIdentity:
    provider: str = strawberry.field(
        description="The identity provider (`local`: a portal account, no state account)."
    )
    level: str = strawberry.field(description="Level of assurance: none, low, substantial, high.")
    level_text: str = strawberry.field(description="The level in words (Vertrauensniveau).")
    kind: str = strawberry.field(description="person or business.")
    organisation_name: str | None
    organisation_id: str | None
    representative: str | None = strawberry.field(
        description="Who acted for the organisation (business accounts)."
    )
    verified: list[str] = strawberry.field(
        description="Keys of the answers that are still what the state account vouched for."
    )

    @classmethod
    def of(cls, identity: dict) -> SubmissionIdentity | None:
        if not identity or "level" not in identity:
            return None
        organisation = identity.get("organisation") or {}
        return cls(
            provider=str(identity.get("provider") or "local"),
            level=str(identity["level"]),
            level_text=level_words(str(identity["level"])),
            kind=str(identity.get("kind") or "person"),
            organisation_name=organisation.get("name") or None,
            organisation_id=organisation.get("id") or None,
            representative=organisation.get("representative") or None,
            verified=[str(key) for key in identity.get("verified") or ()],
        )


@strawberry_django.type(Submission, name="ClerkSubmission")
class ClerkSubmission(ids.Node):
    """A submission in the inbox. `answers` only on the detail (`inboxSubmission`, audited)."""

    reference: str
    status: str
    submitted_at: datetime
    applicant_name: str
    email: str

    @strawberry_django.field(select_related=["form"])
    def form_slug(self, root: Submission) -> str:
        return root.form.slug

    @strawberry_django.field(select_related=["version"])
    def version(self, root: Submission) -> int:
        return root.version.number

    @strawberry_django.field(select_related=["assigned_to"])
    def assigned_to(self, root: Submission) -> str | None:
        return root.assigned_to.email if root.assigned_to_id else None

    @strawberry_django.field(description="The assigned clerk's ID (for assignSubmission).")
    def assigned_to_id(self, root: Submission) -> strawberry.ID | None:
        return ids.encode("Clerk", root.assigned_to_id) if root.assigned_to_id else None

    @strawberry_django.field(
        prefetch_related=[
            Prefetch(
                "deliveries",
                queryset=Delivery.objects.select_related("target").order_by("target__name", "pk"),
            )
        ],
        description="Its hand-over to each target; empty for staff who may not see them.",
    )
    def deliveries(self, root: Submission, info: strawberry.Info) -> list[ClerkDelivery]:
        if not can_view_deliveries(actor_for(info.context.request)):
            return []
        return list(root.deliveries.all())

    @strawberry_django.field
    def answers(self, root: Submission) -> JSON | None:
        return root.answers if getattr(root, OPENED, False) else None

    @strawberry_django.field(
        description="How it was made (only on the detail, like `answers`); null for "
        "submissions made before this was recorded."
    )
    def identity(self, root: Submission) -> SubmissionIdentity | None:
        return SubmissionIdentity.of(root.identity) if getattr(root, OPENED, False) else None


def opened(submission: Submission) -> Submission:
    setattr(submission, OPENED, True)
    return submission


@strawberry.type
class CaseworkPayload:
    errors: list[CaseworkError] = strawberry.field(
        default_factory=list, description="Empty when the mutation succeeded."
    )


@strawberry.type
class ClerkSubmissionPayload(CaseworkPayload):
    submission: ClerkSubmission | None = None


@strawberry.type
class ExportSubmissionsPayload(CaseworkPayload):
    content_type: str | None = None
    content: str | None = None
