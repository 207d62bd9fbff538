"""Payloads of the forms mutations: the object (or nothing) and `errors`."""

from __future__ import annotations

import strawberry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

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


def rate_limited() -> ValidationError:
    return ValidationError(
        gettext("Too many applications from your connection. Try again in an hour."),
        code="rate_limited",
    )
