"""Payloads shared by the forms mutations: the object (or nothing) and `errors`."""

from __future__ import annotations

import strawberry

from portalwerk.graphql.forms.types import (
    ClerkSubmissionType,
    DraftType,
    FieldErrorType,
    SubmissionType,
    UploadType,
)


@strawberry.type
class DraftPayload:
    draft: DraftType | None = None
    errors: list[FieldErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class UploadPayload:
    upload: UploadType | None = None
    errors: list[FieldErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class SubmitPayload:
    submission: SubmissionType | None = None
    errors: list[FieldErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class ClerkSubmissionPayload:
    submission: ClerkSubmissionType | None = None
    errors: list[FieldErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class ExportPayload:
    content_type: str | None = None
    content: str | None = None
    errors: list[FieldErrorType] = strawberry.field(default_factory=list)


def not_found() -> list[FieldErrorType]:
    return [FieldErrorType(field=None, code="not_found", message="This was not found.")]
