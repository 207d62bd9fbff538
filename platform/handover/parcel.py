"""What a backend is given to deliver: plain data built from a submission by `outbox`, so a
backend never touches our models and can be tested with a parcel made by hand."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ParcelFile:
    name: str  # the citizen's (cleaned) file name, or "<reference>.pdf" for the receipt
    kind: str  # pdf, png, jpeg (sniffed from the content when uploaded)
    size: int
    sha256: str
    read: Callable[[], bytes] = field(repr=False, compare=False)
    field_key: str = ""  # the form field it was uploaded to ("" for the receipt)
    upload_id: str = ""  # the Upload's UUID ("" for the receipt)


@dataclass(frozen=True)
class Answer:
    """One answer as the receipt shows it: the field's label and the value in words."""

    key: str  # the field's key in `Parcel.answers` (dotted inside repeating groups)
    label: str
    text: str


@dataclass(frozen=True)
class Parcel:
    #: the same for every attempt of one delivery, and different for every delivery: receivers
    #: store a parcel once per key
    idempotency_key: str
    delivery_id: int
    target_id: int
    tenant_schema: str
    tenant_name: str
    reference: str  # the submission's reference, shown to the citizen
    form_slug: str
    form_title: str
    form_version: int
    language: str
    submitted_at: datetime.datetime
    applicant_name: str
    applicant_email: str
    answers: dict  # the answers as stored, by field key
    answer_list: tuple[Answer, ...]  # the same in reading order, labelled, for people
    receipt: ParcelFile | None
    files: tuple[ParcelFile, ...]
    fee_cents: int = 0
    payment_reference: str = ""
    payment_status: str = ""  # "", "paid", "pending" (handed over before payment)
    #: where the receiving system reports back (case number, status, messages), signed with
    #: the target's callback secret; see docs/handover/answers.md
    status_url: str = ""
    #: a "send a test" parcel: made up, not a citizen's submission
    test: bool = False
    #: the form's title and the labelled answers in the office's language (the installation's
    #: default), for backends whose readers are staff (a mailbox); empty: use the above
    office_form_title: str = ""
    office_answer_list: tuple[Answer, ...] = ()
    #: how the applicant had signed in (`Submission.identity`: provider, level of assurance,
    #: kind, organisation, and the keys of the answers a state account vouched for, "verified")
    applicant_identity: dict = field(default_factory=dict)
