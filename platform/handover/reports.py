"""Reads of what receiving systems reported back (answers back), for the applicant's pages, the
clerk's detail page and the API: one query for any number of submissions, never the document
bytes (those only on download, `document_of`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from portalwerk.platform.handover.models import Report, ReportKind


@dataclass
class Answers:
    """A submission's reports, oldest first, sorted for showing."""

    reports: list[Report] = field(default_factory=list)

    @property
    def case_numbers(self) -> list[str]:
        """Each case number once (a back office and a DMS may each give one)."""
        return list(dict.fromkeys(r.case_number for r in self.reports if r.case_number))

    @property
    def case_number(self) -> str:
        """The case number reported last."""
        numbers = [r.case_number for r in self.reports if r.case_number]
        return numbers[-1] if numbers else ""

    @property
    def statuses(self) -> list[Report]:
        return [r for r in self.reports if r.status]

    @property
    def latest_status(self) -> Report | None:
        statuses = self.statuses
        return statuses[-1] if statuses else None

    @property
    def messages(self) -> list[Report]:
        return [r for r in self.reports if r.kind == ReportKind.MESSAGE]


def _reports():
    return Report.objects.defer("document").select_related("target").order_by("received_at", "pk")


def answers_by_submission(submission_ids) -> dict[int, Answers]:
    found: dict[int, Answers] = {pk: Answers() for pk in submission_ids}
    for report in _reports().filter(submission_id__in=list(found)):
        found[report.submission_id].reports.append(report)
    return found


def answers_for(submission) -> Answers:
    return answers_by_submission([submission.pk])[submission.pk]


def document_of(submission, report_id) -> Report | None:
    """A report of `submission` with its document, or None; the caller has checked that the
    asker may see the submission."""
    if not str(report_id).isdigit():
        return None
    return (
        Report.objects.filter(submission=submission, pk=int(report_id))
        .exclude(document_kind="")
        .first()
    )
