"""Jobs of the hand-over app. `deliver` runs in the tenant's schema (passed explicitly); the
periodic sweep iterates the tenants itself."""

from __future__ import annotations

from django.db import connection
from django_tenants.utils import schema_context
from procrastinate.contrib.django import app

from portalwerk.platform.jobs import current_job_id, tenant_task


@tenant_task(queue="handover")
def deliver(*, delivery_id: int) -> str:
    from portalwerk.platform.handover.sending import send

    return send(delivery_id, job_id=current_job_id())


@app.periodic(cron="*/5 * * * *", periodic_id="handover-resume")
@app.task(queue="handover", queueing_lock="handover.resume_owed")
def resume_owed_deliveries(timestamp: int) -> dict[str, int]:
    """Every five minutes, in every tenant: defer the job of each delivery that is owed and
    has none (`outbox.resume_owed`), and recount its dead letters (a retry or a purge since)."""
    from portalwerk.platform.handover.outbox import resume_owed
    from portalwerk.platform.handover.queries import recount_dead_letters
    from portalwerk.tenants.models import Tenant, TenantStatus

    with schema_context("public"):
        schemas = list(
            Tenant.objects.exclude(schema_name="public")
            .filter(status=TenantStatus.ACTIVE)
            .values_list("schema_name", flat=True)
        )
    done = {}
    for schema in schemas:
        with schema_context(schema):
            done[schema] = resume_owed()
            recount_dead_letters()
    connection.set_schema_to_public()
    return done


@tenant_task(queue="mail", retry=5)
def send_report_notice(*, report_id: int) -> str | None:
    """Tells the applicant that the office's system reported news (a status, a message): the
    reference and a link, nothing of what was reported, no name, no answers."""
    from django.utils.translation import gettext as _

    from portalwerk.platform import mail
    from portalwerk.platform.forms.tasks import _link_lines
    from portalwerk.platform.handover.models import Report

    report = Report.objects.select_related("submission").filter(pk=report_id).first()
    submission = report.submission if report is not None else None
    if submission is None or not submission.email or submission.anonymised_at:
        return None
    reference = submission.reference

    def body() -> str:
        text = _(
            "There is news about your application %(reference)s. Sign in or open the link "
            "below to read it."
        ) % {"reference": reference}
        return f"{text}\n\n{_link_lines(submission)}"

    return mail.send(
        idempotency_key=f"handover-report:{report.pk}",
        to=submission.email,
        language=submission.language,
        subject=lambda: _("News about your application %(reference)s") % {"reference": reference},
        body=body,
    )
