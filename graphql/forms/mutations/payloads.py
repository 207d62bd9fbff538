"""Payloads of the forms mutations: the object (or nothing) and `errors`."""

from __future__ import annotations

import strawberry

from portalwerk.graphql.forms.errors import FormError
from portalwerk.graphql.forms.types import DraftType, SubmissionType, UploadType


@strawberry.type
class FormPayload:
    errors: list[FormError] = strawberry.field(
        default_factory=list, description="Empty when the mutation succeeded."
    )


@strawberry.type
class DraftPayload(FormPayload):
    draft: DraftType | None = None


@strawberry.type
class UploadPayload(FormPayload):
    upload: UploadType | None = None


@strawberry.type
class SubmitPayload(FormPayload):
    submission: SubmissionType | None = None
