"""Retention: submissions older than their form's retention period are deleted or anonymised,
with their files, and the purge is recorded (PurgeRecord, audit entry). Expired drafts go too."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from portalwerk.platform.authz.actors import system
from portalwerk.platform.forms import uploads as upload_store
from portalwerk.platform.forms.models import (
    Draft,
    Form,
    PurgeRecord,
    Receipt,
    RetentionAction,
    Submission,
    SubmissionLink,
    Upload,
)


def _delete_files(uploads: list[Upload]) -> None:
    store = upload_store.storage()
    names = [u.stored_name for u in uploads]
    transaction.on_commit(lambda: [store.delete(n) for n in names])


@transaction.atomic
def purge_expired(now=None) -> dict:
    from portalwerk.platform.audit.actions import Action
    from portalwerk.platform.audit.recording import record_many

    now = now or timezone.now()
    report: dict[str, int] = {}
    for form in Form.objects.all():
        cutoff = now - timedelta(days=form.retention_days)
        due = list(
            Submission.objects.select_for_update(skip_locked=True).filter(
                form=form, submitted_at__lt=cutoff, anonymised_at__isnull=True
            )
        )
        if not due:
            continue
        ids = [s.pk for s in due]
        references = [s.reference for s in due]
        files = list(Upload.objects.filter(submission_id__in=ids))
        _delete_files(files)
        if form.retention_action == RetentionAction.DELETE:
            Upload.objects.filter(pk__in=[u.pk for u in files]).delete()
            Submission.objects.filter(pk__in=ids).delete()
        else:
            from portalwerk.platform.casework.models import Message, Note

            Upload.objects.filter(pk__in=[u.pk for u in files]).delete()
            Receipt.objects.filter(submission_id__in=ids).delete()  # it holds the answers
            Message.objects.filter(submission_id__in=ids).update(body="")
            Note.objects.filter(submission_id__in=ids).delete()  # notes name the applicant too
            # what back offices reported (messages, notices) is the applicant's too
            from portalwerk.platform.handover.models import Report

            Report.objects.filter(submission_id__in=ids).delete()
            SubmissionLink.objects.filter(submission_id__in=ids).delete()
            Submission.objects.filter(pk__in=ids).update(
                answers={},
                applicant_name="",
                email="",
                user=None,
                anonymised_at=now,
            )
        PurgeRecord.objects.create(
            form=form,
            action=form.retention_action,
            count=len(ids),
            files=len(files),
            references=references,
        )
        record_many(
            system("retention"),
            Action.SUBMISSION_PURGED,
            [("submission", reference) for reference in references],
            form=form.slug,
            retention_action=form.retention_action,
        )
        report[form.slug] = len(ids)
    expired = list(Draft.objects.filter(expires_at__lt=now))
    draft_files = list(Upload.objects.filter(draft__in=expired))
    _delete_files(draft_files)
    Upload.objects.filter(pk__in=[u.pk for u in draft_files]).delete()
    Draft.objects.filter(pk__in=[d.pk for d in expired]).delete()
    report["drafts"] = len(expired)
    return report
