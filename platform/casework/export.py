"""The clerks' export of selected submissions: CSV for spreadsheets (German Excel opens it as it
is: semicolons, UTF-8 with a byte order mark), JSON for machines. Audited.

The CSV has one row per submission and one column per question, in the form's order, each
answer as the clerk reads it on the submission page ("Ja", "5 Jahre", "01.03.2027"), files by
their names with a link to download them. Headers are the questions' labels, made unique."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record_many
from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.error_codes import ErrorCode, code_error
from portalwerk.platform.forms.engine.fieldtypes.base import field_type
from portalwerk.platform.forms.fees import format_fee
from portalwerk.platform.forms.models import Submission, SubmissionStatus, Upload

FORMATS = ("csv", "json")
DELIMITER = ";"  # what German Excel expects; a comma puts every row into one cell


class ExportErrorCode(ErrorCode):
    NOT_FOUND = "not_found"
    NOTHING_SELECTED = "nothing_selected"
    UNKNOWN_FORMAT = "unknown_format"


@dataclass(frozen=True)
class Export:
    content_type: str
    content: bytes
    extension: str


@transaction.atomic
def export_submissions(*, actor: Actor, submission_ids: list, fmt: str) -> Export:
    """The selected submissions as CSV or JSON; the export of each is audited."""
    if not capabilities.can_read_submissions(actor):
        raise code_error(ExportErrorCode.NOT_FOUND, _("This was not found."), "__all__")
    if fmt not in FORMATS:
        raise code_error(ExportErrorCode.UNKNOWN_FORMAT, _("Choose CSV or JSON."), "format")
    ids = [int(i) for i in submission_ids if str(i).isdigit() and len(str(i)) < 18]
    rows = list(
        Submission.objects.filter(pk__in=ids, anonymised_at__isnull=True)
        .select_related("form", "version")
        .order_by("submitted_at", "pk")
    )
    if not rows:
        raise code_error(
            ExportErrorCode.NOTHING_SELECTED,
            _("Select at least one submission to export."),
            "ids",
        )
    record_many(actor, Action.SUBMISSION_EXPORTED, rows, format=fmt)
    if fmt == "json":
        return Export("application/json", _json(rows), "json")
    return Export("text/csv; charset=utf-8", _csv(rows), "csv")


def _json(rows: list[Submission]) -> bytes:
    records = [
        {
            "reference": s.reference,
            "form": s.form.slug,
            "version": s.version.number,
            "status": s.status,
            "submitted_at": s.submitted_at.isoformat(),
            "applicant": s.applicant_name,
            "email": s.email,
            "fee_cents": s.fee_cents,
            "answers": s.answers,
        }
        for s in rows
    ]
    return json.dumps(records, ensure_ascii=False, indent=2).encode()


# -- CSV -----------------------------------------------------------------------------------


def _csv(rows: list[Submission]) -> bytes:
    files = _file_cells(rows)
    forms = list(dict.fromkeys(s.form for s in rows))
    columns = _answer_columns(rows)
    fixed = [
        _("Reference number"),
        _("Form"),
        _("Form version"),
        _("Status"),
        _("Submitted on"),
        _("Applicant"),
        _("Email address"),
        _("Fee"),
    ]
    answer_headers = [
        f"{form.title_text()}: {label}" if len(forms) > 1 else label
        for form, _key, label, _step in columns
    ]
    steps = [step for *_rest, step in columns]
    headers = _unique(fixed, answer_headers, steps)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER)
    writer.writerow(headers)
    for s in rows:
        values = _answer_values(s, files)
        writer.writerow(
            [
                _cell(s.reference),
                _cell(s.form.title_text()),
                s.version.number,
                _cell(
                    SubmissionStatus(s.status).label
                    if s.status in SubmissionStatus.values
                    else s.status
                ),
                timezone.localtime(s.submitted_at).strftime("%d.%m.%Y %H:%M")
                if s.submitted_at
                else "",
                _cell(s.applicant_name),
                _cell(s.email),
                format_fee(s.fee_cents) if s.fee_cents else "",
            ]
            + [
                _cell(values.get(key, "")) if form == s.form else ""
                for form, key, _label, _step in columns
            ]
        )
    return ("\ufeff" + out.getvalue()).encode()


def _file_cells(rows: list[Submission]) -> dict[str, str]:
    """Upload id → "name (link)", the way a file answer reads in the export."""
    from portalwerk.tenants.current import current_tenant_url

    uploads = Upload.objects.filter(submission__in=rows).values_list("pk", "name")
    return {
        str(pk): "{} ({})".format(
            name, current_tenant_url(reverse("forms:download", kwargs={"upload_id": pk}))
        )
        for pk, name in uploads
    }


def _questions(spec):
    """(step, field) of every question that holds an answer, in the form's order."""
    for step in spec.steps:
        for f in step.fields:
            if f.has_value:
                yield step, f


def _answer_columns(rows: list[Submission]) -> list[tuple[Any, tuple, str, str]]:
    """(form, key, label, step title) per column. A key is a question's key, or for an entry
    of a repeating group (group key, entry index, child key). Each form's columns follow its
    newest exported version; questions only older versions had come after them."""
    columns: list[tuple[Any, tuple, str, str]] = []
    for form in dict.fromkeys(s.form for s in rows):
        of_form = [s for s in rows if s.form_id == form.pk]
        newest = max((s.version for s in of_form), key=lambda v: v.number)
        found: dict[tuple, tuple[tuple, str, str]] = {}
        for version in sorted({s.version for s in of_form}, key=lambda v: -v.number):
            entries = _entries(of_form, version)
            for position, (step, f) in enumerate(_questions(version.spec)):
                rank = position if version == newest else math.inf
                for key, label in _keys(f, entries.get(f.key, 0)):
                    order = (rank, position, *key[1:2]) if len(key) > 1 else (rank, position)
                    found.setdefault(key, (order, label, step.title_text()))
        for key, (_order, label, step) in sorted(
            found.items(), key=lambda item: (*item[1][0], _child_position(item[0]))
        ):
            columns.append((form, key, label, step))
    return columns


def _child_position(key: tuple) -> int:
    return key[3] if len(key) > 3 else 0


def _entries(rows: list[Submission], version) -> dict[str, int]:
    """The most entries any exported submission has in each repeating group of `version`."""
    counts: dict[str, int] = {}
    for s in rows:
        if s.version_id != version.pk:
            continue
        for key, value in s.answers.items():
            if isinstance(value, list) and value and isinstance(value[0], Mapping):
                counts[key] = max(counts.get(key, 0), len(value))
    return counts


def _keys(f, entries: int):
    if not f.children:
        yield (f.key,), f.label_text()
        return
    for index in range(entries):
        for position, child in enumerate(c for c in f.children if c.has_value):
            label = f"{f.label_text()} {index + 1}: {child.label_text()}"
            yield (f.key, index, child.key, position), label


def _answer_values(s: Submission, files: Mapping[str, str]) -> dict[tuple, str]:
    values: dict[tuple, str] = {}
    for _step, f in _questions(s.version.spec):
        value = s.answers.get(f.key)
        if value in (None, "", []):
            continue
        if not f.children:
            values[(f.key,)] = field_type(f.type).display(f, value, None, files)
            continue
        for index, item in enumerate(value if isinstance(value, list) else []):
            for position, child in enumerate(c for c in f.children if c.has_value):
                answer = item.get(child.key) if isinstance(item, Mapping) else None
                if answer not in (None, "", []):
                    values[(f.key, index, child.key, position)] = field_type(child.type).display(
                        child, answer, None, files
                    )
    return values


def _unique(fixed: list[str], answers: list[str], steps: list[str]) -> list[str]:
    """Headers as given, where one repeats: with its step's title, then numbered."""
    seen = {h.casefold() for h in fixed}
    out = list(fixed)
    counts: dict[str, int] = {}
    for header in answers:
        counts[header.casefold()] = counts.get(header.casefold(), 0) + 1
    for header, step in zip(answers, steps, strict=True):
        if header.casefold() in seen or counts[header.casefold()] > 1:
            header = f"{header} ({step})"
        candidate, n = header, 2
        while candidate.casefold() in seen:
            candidate, n = f"{header} {n}", n + 1
        seen.add(candidate.casefold())
        out.append(candidate)
    return out


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
