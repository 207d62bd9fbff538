"""Payloads shared by the forms mutations: the object (or nothing) and `errors`."""

from __future__ import annotations

import strawberry
from django.utils.translation import gettext

from portalwerk.graphql.core.errors import FieldError, Payload
from portalwerk.graphql.forms.types import (
    ClerkSubmissionType,
    DraftType,
    SubmissionType,
    UploadType,
)


@strawberry.type
class DraftPayload(Payload):
    draft: DraftType | None = None


@strawberry.type
class UploadPayload(Payload):
    upload: UploadType | None = None


@strawberry.type
class SubmitPayload(Payload):
    submission: SubmissionType | None = None


@strawberry.type
class ClerkSubmissionPayload(Payload):
    submission: ClerkSubmissionType | None = None


@strawberry.type
class ExportPayload(Payload):
    content_type: str | None = None
    content: str | None = None


def not_found() -> list[FieldError]:
    return [FieldError(field=None, code="not_found", message=gettext("This was not found."))]
