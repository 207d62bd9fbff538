"""The office mail's subject and plain-text body, in the office's language (the caller
activates it): what arrived, the labelled answers, and the files, attached or as links."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portalwerk.platform.handover.parcel import Parcel, ParcelFile


def subject(parcel: Parcel) -> str:
    text = _("New application %(reference)s: %(form)s") % {
        "reference": parcel.reference,
        "form": parcel.office_form_title or parcel.form_title,
    }
    return _("[TEST] %(subject)s") % {"subject": text} if parcel.test else text


def _file_name(parcel: Parcel, file: ParcelFile) -> str:
    if file is parcel.receipt:
        return _("%(name)s (receipt)") % {"name": file.name}
    return file.name


def body(parcel: Parcel, *, links: dict[str, str] | None, expires: datetime.datetime | None) -> str:
    """`links` maps each file's name to its download link when the files are too large to be
    attached (then `expires` says until when the links work); None when they are attached."""
    submitted = formats.date_format(timezone.localtime(parcel.submitted_at), "DATETIME_FORMAT")
    lines = []
    if parcel.test:
        lines += [_("This is a test message of the service portal; no one applied."), ""]
    title = parcel.office_form_title or parcel.form_title
    lines += [
        _("An application has arrived through the service portal."),
        "",
        _("Form: %(title)s (version %(number)d)") % {"title": title, "number": parcel.form_version},
        _("Reference: %(reference)s") % {"reference": parcel.reference},
        _("Submitted: %(when)s") % {"when": submitted},
    ]
    if parcel.applicant_name or parcel.applicant_email:
        who = parcel.applicant_name
        if parcel.applicant_email:
            who = f"{who} <{parcel.applicant_email}>".strip()
        lines.append(_("Applicant: %(who)s") % {"who": who})
    if parcel.fee_cents:
        fee = formats.number_format(Decimal(parcel.fee_cents) / 100, 2, use_l10n=True)
        fee_line = _("Fee: %(amount)s €") % {"amount": fee}
        if parcel.payment_reference:
            fee_line += ", " + _("payment reference %(payment)s") % {
                "payment": parcel.payment_reference
            }
        if parcel.payment_status == "paid":
            fee_line += " (" + pgettext("fee", "paid") + ")"
        elif parcel.payment_status == "pending":
            fee_line += " (" + pgettext("fee", "not paid yet") + ")"
        lines.append(fee_line)
    answers = parcel.office_answer_list or parcel.answer_list
    if answers:
        heading = _("Answers")
        lines += ["", heading, "-" * len(heading)]
        for answer in answers:
            text = (answer.text or "–").replace("\n", "\n    ")
            lines.append(f"{answer.label}: {text}")
    files = ([parcel.receipt] if parcel.receipt else []) + list(parcel.files)
    if files:
        lines.append("")
        if links is None:
            lines.append(_("Attached files:"))
            lines += [f"- {_file_name(parcel, f)}, {filesizeformat(f.size)}" for f in files]
        else:
            until = formats.date_format(timezone.localtime(expires), "DATE_FORMAT")
            lines.append(
                _(
                    "The files are too large to attach; download them by these links "
                    "(they work until %(date)s):"
                )
                % {"date": until}
            )
            for f in files:
                lines.append(f"- {_file_name(parcel, f)}, {filesizeformat(f.size)}:")
                lines.append(f"  {links[f.upload_id or 'receipt']}")
    lines += ["", _("Delivery key: %(key)s") % {"key": parcel.idempotency_key}]
    return "\n".join(lines) + "\n"
