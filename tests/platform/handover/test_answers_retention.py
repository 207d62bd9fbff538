"""What back offices reported is personal data: it goes when the submission is anonymised."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from portalwerk.platform.casework.tasks import purge_expired_submissions
from portalwerk.platform.forms.models import Submission
from portalwerk.platform.handover.models import Report
from portalwerk.platform.jobs import defer_for_tenant
from tests.helpers.forms import run_jobs
from tests.platform.handover.conftest import hand_over, post_report, report_body


def test_anonymising_a_submission_removes_its_reports_and_refuses_new_ones(
    tenant_a, citizen, client_for
):
    handed = hand_over(tenant_a, citizen)
    client = client_for(tenant_a)
    body = report_body(handed, "e1", status="in Bearbeitung", message="Ihr Bescheid.")
    assert post_report(client, handed.target, body).status_code == 200
    with schema_context(tenant_a.schema_name):
        form = handed.submission.form
        form.retention_action, form.retention_days = "anonymise", 30
        form.save()
        Submission.objects.update(submitted_at=timezone.now() - timedelta(days=31))
        defer_for_tenant(purge_expired_submissions)
        run_jobs("purge_expired_submissions")
        assert Report.objects.count() == 0
    late = post_report(client, handed.target, report_body(handed, "e2", status="erledigt"))
    assert late.status_code == 404
