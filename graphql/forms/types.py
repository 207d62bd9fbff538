"""Types of the forms API (tenant schema)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from django.core.exceptions import ValidationError
from strawberry.relay import from_base64, to_base64
from strawberry.scalars import JSON

from portalwerk.graphql.core.errors import FieldError
from portalwerk.platform.forms.engine.specs import localize


def errors_from(exc: ValidationError) -> list[FieldError]:
    """A service's ValidationError as payload errors. `field` is the answer's path in the form
    (`home.postcode`, `dogs.1.name`: keys of the definition, not camelCased), or null."""
    out = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                out.append(
                    FieldError(
                        field=None if field == "__all__" else field,
                        code=str(error.code or "invalid"),
                        message=error.messages[0],
                    )
                )
    else:
        for error in exc.error_list:
            out.append(
                FieldError(field=None, code=str(error.code or "invalid"), message=error.messages[0])
            )
    return out


def global_id(kind: str, pk) -> strawberry.ID:
    return strawberry.ID(to_base64(kind, str(pk)))


def parse_global_id(kind: str, value: str) -> str | None:
    try:
        type_name, pk = from_base64(value)
    except Exception:
        return None
    return pk if type_name == kind else None


@strawberry.type
class FormStepType:
    key: str
    title: str


@strawberry.type
class FormType:
    slug: str
    title: str
    description: str
    version: int
    needs_payment: bool
    steps: list[FormStepType]
    definition: JSON

    @classmethod
    def of(cls, form, version) -> FormType:
        spec = version.spec
        return cls(
            slug=form.slug,
            title=form.title_text(),
            description=form.description_text(),
            version=version.number,
            needs_payment=spec.needs_payment,
            steps=[FormStepType(key=s.key, title=s.title_text()) for s in spec.steps],
            definition=version.definition,
        )


@strawberry.type
class DraftType:
    id: strawberry.ID
    form_slug: str
    version: int
    answers: JSON
    completed_steps: list[str]
    next_step: str | None
    fee_cents: int
    expires_at: datetime

    @classmethod
    def of(cls, draft) -> DraftType:
        spec = draft.version.spec
        open_steps = [
            s.key for s in spec.active_steps(draft.answers) if s.key not in draft.completed_steps
        ]
        return cls(
            id=strawberry.ID(str(draft.pk)),
            form_slug=draft.version.form.slug,
            version=draft.version.number,
            answers=draft.answers,
            completed_steps=list(draft.completed_steps),
            next_step=open_steps[0] if open_steps else None,
            fee_cents=spec.fee_cents(draft.answers),
            expires_at=draft.expires_at,
        )


@strawberry.type
class UploadType:
    id: strawberry.ID
    name: str
    kind: str
    size: int


@strawberry.type
class MessageType:
    from_office: bool
    body: str
    created_at: datetime
    attachments: list[UploadType]

    @classmethod
    def of(cls, message) -> MessageType:
        return cls(
            from_office=message.from_office,
            body=message.body,
            created_at=message.created_at,
            attachments=[
                UploadType(id=strawberry.ID(str(a.pk)), name=a.name, kind=a.kind, size=a.size)
                for a in message.attachments.all()
            ],
        )


@strawberry.type
class SubmissionType:
    """A submission as its citizen sees it."""

    reference: str
    form_title: str
    status: str
    submitted_at: datetime
    fee_cents: int
    messages: list[MessageType]

    @classmethod
    def of(cls, s) -> SubmissionType:
        return cls(
            reference=s.reference,
            form_title=localize(s.form.title),
            status=s.status,
            submitted_at=s.submitted_at,
            fee_cents=s.fee_cents,
            messages=[MessageType.of(m) for m in s.messages.all()],
        )


@strawberry.type
class ClerkSubmissionType:
    """A submission in the inbox. `answers` only on the detail (which is audited)."""

    id: strawberry.ID
    reference: str
    form_slug: str
    version: int
    status: str
    submitted_at: datetime
    applicant_name: str
    email: str
    assigned_to: str | None
    answers: JSON | None = None

    @classmethod
    def of(cls, s, *, with_answers: bool = False) -> ClerkSubmissionType:
        return cls(
            id=global_id("Submission", s.pk),
            reference=s.reference,
            form_slug=s.form.slug,
            version=s.version.number,
            status=s.status,
            submitted_at=s.submitted_at,
            applicant_name=s.applicant_name,
            email=s.email,
            assigned_to=s.assigned_to.email if s.assigned_to_id else None,
            answers=s.answers if with_answers else None,
        )


@strawberry.type
class InboxPageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class ClerkSubmissionEdge:
    cursor: str
    node: ClerkSubmissionType


@strawberry.type
class ClerkSubmissionConnection:
    edges: list[ClerkSubmissionEdge]
    page_info: InboxPageInfo
    total_count: int
