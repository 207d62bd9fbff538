"""Types of the forms API (tenant schema)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from portalwerk.graphql.core import ids
from portalwerk.platform.forms.engine.specs import localize
from portalwerk.platform.forms.services.signing_in import requirement_text
from portalwerk.platform.handover.reports import Answers


@strawberry.type
class FormStepType:
    key: str
    title: str


@strawberry.type(description="The sign-in a form needs before anything can be saved.")
class FormSignInType:
    level: str = strawberry.field(
        description="Level of assurance of the state account: none, low, substantial, high."
    )
    account: str | None = strawberry.field(
        description="The kind of account it needs (person, business); null: either."
    )
    text: str = strawberry.field(description="The same in words, in the caller's language.")


@strawberry.type
class FormType:
    slug: str
    title: str
    description: str
    version: int
    needs_payment: bool
    steps: list[FormStepType]
    definition: JSON
    sign_in: FormSignInType = strawberry.field(
        description="What sign-in the form needs (level `none` and no account: none)."
    )

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
            sign_in=FormSignInType(
                level=spec.sign_in.level,
                account=spec.sign_in.account or None,
                text=requirement_text(spec.sign_in),
            ),
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
            id=ids.encode("Draft", draft.pk),
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
    answer: str = strawberry.field(description="What to give as the file field's answer.")
    name: str
    kind: str
    size: int

    @classmethod
    def of(cls, upload) -> UploadType:
        return cls(
            id=ids.encode("Upload", upload.pk),
            answer=str(upload.pk),
            name=upload.name,
            kind=upload.kind,
            size=upload.size,
        )


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
            attachments=[UploadType.of(a) for a in message.attachments.all()],
        )


@strawberry.type(description="A status as a back-office system reported it, in its own words.")
class StatusReportType:
    status: str
    at: datetime


@strawberry.type(description="A message a back-office system sent, perhaps with a document.")
class BackOfficeMessageType:
    text: str
    at: datetime
    document_name: str | None


@strawberry.type
class SubmissionType:
    """A submission as its citizen sees it."""

    reference: str
    form_title: str
    status: str
    submitted_at: datetime
    fee_cents: int
    messages: list[MessageType]
    case_number: str | None = strawberry.field(
        description="The case number a back-office system reported last."
    )
    status_history: list[StatusReportType] = strawberry.field(
        description="Statuses reported by back-office systems, oldest first."
    )
    back_office_messages: list[BackOfficeMessageType] = strawberry.field(
        description="Messages reported by back-office systems, oldest first."
    )

    @classmethod
    def of(cls, s) -> SubmissionType:
        answers = Answers(
            reports=sorted(s.handover_reports.all(), key=lambda r: (r.received_at, r.pk))
        )
        return cls(
            reference=s.reference,
            form_title=localize(s.form.title),
            status=s.status,
            submitted_at=s.submitted_at,
            fee_cents=s.fee_cents,
            messages=[MessageType.of(m) for m in s.messages.all()],
            case_number=answers.case_number or None,
            status_history=[
                StatusReportType(status=r.status, at=r.received_at) for r in answers.statuses
            ],
            back_office_messages=[
                BackOfficeMessageType(
                    text=r.message, at=r.received_at, document_name=r.document_name or None
                )
                for r in answers.messages
            ],
        )
